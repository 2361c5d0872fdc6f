"""OpenCV clean-up before Tesseract: seals, upscaling, border, deskew, denoise.

Why these and not a global binarisation: measured here, Tesseract's own Sauvola
(`thresholding_method=2`) after a deskew beats a global Otsu of ours on shaded scans, so
the clean-up hands Tesseract a deskewed grey image and lets it binarise (Sauvola only
where the light is uneven: `uneven_light`). Estimation work
(angle, border) runs on a downscaled copy to keep the page cost near plain Tesseract's.
"""

from __future__ import annotations

import cv2
import numpy as np

from .options import OcrOptions

WORK_WIDTH = 900  # px: estimation resolution
# Upscaling by evidence (real scans read at their own ppi, CER after restoration against
# bench/ground_truth/scans): a 150 ppi scan reads better as it is (GP 2507 body CER 0.89 %
# from a 300 DPI render, 0.74 % at 150; cubic x2 worse still); the two 86-87 ppi pages of
# CV 813 read best enlarged x2 with Lanczos (mean 4.56 % as they are; x1.5 cubic 3.64 %,
# x2 cubic 2.73 %, x2 Lanczos 2.42 %, x3 cubic 2.31 % at about twice the time).
UPSCALE_BELOW = 120  # ppi
UPSCALE = 2.0


def remove_colour_ink(rgb: np.ndarray, margin: int = 60) -> np.ndarray:
    """Grey image with red and blue ink (seals, stamps, signatures) turned to paper
    colour. A pixel is ink when one channel exceeds both others by `margin`: black text,
    even with a scanner's colour cast, has channels close together and is kept (an
    HSV-saturation test removed dark text on real scans, measured on GP 2507)."""
    r, g, b = cv2.split(np.ascontiguousarray(rgb))
    # ink alone is bright in its own channel; where it crosses black text the pixel is
    # dark, and belongs to the text (saturating uint8 arithmetic: fast on a full page)
    red = (cv2.subtract(r, cv2.max(g, b)) > margin) & (r > 140)
    blue = (cv2.subtract(b, cv2.max(r, g)) > margin) & (b > 120)
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    ink = (red | blue).view(np.uint8)
    if not cv2.countNonZero(ink):
        return grey
    out = grey.copy()
    out[_fringe(ink, grey)] = 255
    return out


def _fringe(ink: np.ndarray, grey: np.ndarray, reach: int = 3, light: int = 150) -> np.ndarray:
    """The ink and its anti-aliased edge: light pixels right next to coloured ink. Left
    in, Tesseract's adaptive threshold turns the edge into ghost outlines of the seal that
    read as junk (measured on GP 2507 p. 2); dark pixels there are text crossing it."""
    kernel = np.ones((2 * reach + 1, 2 * reach + 1), np.uint8)
    near = cv2.dilate(ink, kernel)
    return (ink > 0) | ((near > 0) & (grey > light))


UNEVEN = 0.95  # background darkest/brightest under which a page counts as unevenly lit


def uneven_light(gray: np.ndarray) -> bool:
    """True when the paper's brightness varies across the page (a photo, a shaded or
    yellowed scan). Why ask: Tesseract's Sauvola binarisation saves such pages, but on an
    evenly lit scan its global Otsu reads better (real scans GP 2507, TB 1894: body CER
    3.14 → 2.52 %, 2.58 → 2.09 %) and 0.2 s a page faster."""
    small, _ = _small(gray)
    k = max(15, small.shape[1] // 25) | 1
    background = cv2.blur(cv2.dilate(small, np.ones((k, k), np.uint8)), (k, k))
    dark, bright = np.percentile(background, [2, 98])
    return bool(dark < UNEVEN * max(float(bright), 1.0))


def is_colour(rgb: np.ndarray) -> bool:
    """True when the page has real colour (a quick check on a subsample)."""
    if rgb.ndim != 3:
        return False
    sub = rgb[::8, ::8].astype(np.int16)
    spread = sub.max(axis=2) - sub.min(axis=2)
    return float((spread > 60).mean()) > 0.0005


def _small(gray: np.ndarray) -> tuple[np.ndarray, float]:
    """The page at estimation resolution. The last one is remembered: border, skew and
    light estimates all ask for the same page (the cache holds the page itself, so its
    identity cannot be reused, and pages are never changed in place)."""
    if _LAST and _LAST[0] is gray:
        return _LAST[1]
    scale = min(1.0, WORK_WIDTH / gray.shape[1])
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1.0 else gray
    _LAST[:] = [gray, (small, scale)]
    return small, scale


_LAST: list = []


def _ink(gray_small: np.ndarray) -> np.ndarray:
    """Binary ink mask (text = 1) for estimation, robust to uneven light."""
    block = max(15, (gray_small.shape[1] // 30) | 1)
    return (cv2.adaptiveThreshold(gray_small, 1, cv2.ADAPTIVE_THRESH_MEAN_C,
                                  cv2.THRESH_BINARY_INV, block, 15)).astype(np.uint8)


def _profile_score(ink: np.ndarray, angle: float) -> float:
    h, w = ink.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    rot = cv2.warpAffine(ink, m, (w, h), flags=cv2.INTER_NEAREST)
    rows = rot.sum(axis=1).astype(np.float64)
    return float(np.square(np.diff(rows)).sum())


def estimate_skew(gray: np.ndarray, max_deg: float = 10.0) -> float:
    """Skew angle in degrees (counter-clockwise positive, as cv2) that makes text lines
    horizontal: the angle whose row profile is sharpest, coarse then fine."""
    small, _ = _small(gray)
    ink = _ink(small)
    if ink.sum() < 50:
        return 0.0
    # coarse on a half-size mask (a quarter of the pixels), then fine at full size
    half = cv2.resize(ink, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    coarse = np.arange(-max_deg, max_deg + 1e-9, 0.5)
    best = float(max(coarse, key=lambda a: _profile_score(half, float(a))))
    fine = np.arange(best - 0.5, best + 0.51, 0.1)
    return round(float(max(fine, key=lambda a: _profile_score(ink, float(a)))), 2)


def rotate(gray: np.ndarray, angle: float) -> np.ndarray:
    """Rotate about the centre, filling with paper white."""
    h, w = gray.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=255)


def crop_border(gray: np.ndarray) -> tuple[np.ndarray, tuple[int, int]]:
    """Whiten dark scanner borders (connected dark regions touching the image edge);
    returns the image and (dx, dy) = (0, 0) since coordinates are kept."""
    small, scale = _small(gray)
    dark = (small < 60).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(dark, connectivity=8)
    h, w = small.shape
    out = gray
    for i in range(1, n):
        x, y, bw, bh, area = stats[i]
        touches = x == 0 or y == 0 or x + bw >= w or y + bh >= h
        if touches and (bw > 0.3 * w or bh > 0.3 * h) and area > 0.3 * bw * bh:
            mask = cv2.resize((labels == i).astype(np.uint8), (gray.shape[1], gray.shape[0]),
                              interpolation=cv2.INTER_NEAREST)
            out = out.copy() if out is gray else out  # copied only when there is a border
            out[mask > 0] = 255
    return out, (0, 0)


def clean(image: np.ndarray, options: OcrOptions, dpi: int) -> tuple[np.ndarray, int, tuple[str, ...]]:
    """(grey page for Tesseract, its dpi, steps applied with their parameters)."""
    steps: list[str] = []
    if image.ndim == 3 and options.seal_removal and is_colour(image):
        gray = remove_colour_ink(image)
        steps.append("seal_removal")
    else:
        gray = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY) if image.ndim == 3 else image
    if options.upscale and dpi < UPSCALE_BELOW:
        gray = cv2.resize(gray, None, fx=UPSCALE, fy=UPSCALE, interpolation=cv2.INTER_LANCZOS4)
        steps.append(f"upscale:{dpi}->{round(dpi * UPSCALE)}")
        dpi = round(dpi * UPSCALE)
    if options.border_crop:
        gray, _ = crop_border(gray)
    if options.deskew:
        angle = estimate_skew(gray)
        if abs(angle) >= 0.2:
            gray = rotate(gray, angle)
            steps.append(f"deskew:{angle:+.2f}")
    if options.denoise:
        gray = cv2.medianBlur(gray, 3)
        steps.append("denoise:median3")
    return gray, dpi, tuple(steps)
