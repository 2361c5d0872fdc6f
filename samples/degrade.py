"""Degrade a rendered page the way archives do: skew, noise, blur, JPEG, low resolution,
uneven light, bleed-through, low contrast, a phone photo, a red seal over text.

Why: renders are easy and real scans are not; the benchmark needs each hard condition on
pages whose truth is known. Deterministic for a given seed.
"""

from __future__ import annotations

import io
import math
from dataclasses import replace

import cv2
import numpy as np
from PIL import Image

from .render import RenderedPage

CONDITIONS: tuple[str, ...] = (
    "clean",
    "degraded",
    "lowres200",
    "uneven_light",
    "bleed_through",
    "low_contrast",
    "phone_photo",
    "seal",
)


def _arr(page: RenderedPage) -> np.ndarray:
    return np.asarray(page.image.convert("RGB")).astype(np.float32)


def _img(a: np.ndarray) -> Image.Image:
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))


def _jpeg(img: Image.Image, quality: int) -> Image.Image:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality)
    buf.seek(0)
    return Image.open(buf).convert("RGB")


def _rotate(a: np.ndarray, deg: float) -> np.ndarray:
    h, w = a.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), deg, 1.0)
    return cv2.warpAffine(a, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=(255, 255, 255))


def _noise(a: np.ndarray, rng: np.random.Generator, sigma: float) -> np.ndarray:
    return a + rng.normal(0, sigma, a.shape[:2])[..., None]


def _blur(a: np.ndarray, sigma: float) -> np.ndarray:
    return cv2.GaussianBlur(a, (0, 0), sigma)


def _gradient(h: int, w: int, rng: np.random.Generator, low: float) -> np.ndarray:
    """Illumination falling from 1 to `low` across a random direction, plus a vignette."""
    ang = rng.uniform(0, 2 * math.pi)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    t = (xx / w - 0.5) * math.cos(ang) + (yy / h - 0.5) * math.sin(ang)
    lin = 1 - (t - t.min()) / (t.max() - t.min()) * (1 - low)
    r = np.hypot(xx / w - 0.5, yy / h - 0.5)
    return (lin * (1 - 0.25 * r**2))[..., None]


def degraded(page: RenderedPage, rng: np.random.Generator) -> RenderedPage:
    a = _rotate(_arr(page), rng.uniform(-3, 3))
    a = _blur(_noise(a, rng, 14), 0.8)
    return replace(page, image=_jpeg(_img(a), 60))


def lowres200(page: RenderedPage, rng: np.random.Generator) -> RenderedPage:
    f = 200 / page.dpi
    img = page.image.resize(
        (round(page.image.width * f), round(page.image.height * f)), Image.Resampling.LANCZOS
    )
    return replace(page, image=_jpeg(img, 80), dpi=200)


def uneven_light(page: RenderedPage, rng: np.random.Generator) -> RenderedPage:
    a = _arr(page)
    a = a * _gradient(a.shape[0], a.shape[1], rng, 0.35) * np.array([1.0, 0.97, 0.9])
    return replace(page, image=_jpeg(_img(_noise(a, rng, 6)), 75))


def bleed_through(page: RenderedPage, rng: np.random.Generator) -> RenderedPage:
    a = _arr(page)
    back = _blur(a[:, ::-1], 2.0)
    a = np.minimum(a, 255 - (255 - back) * 0.22)
    return replace(page, image=_jpeg(_img(_noise(a, rng, 5)), 75))


def low_contrast(page: RenderedPage, rng: np.random.Generator) -> RenderedPage:
    a = _arr(page)
    a = 120 + a * (200 - 120) / 255
    return replace(page, image=_jpeg(_img(_blur(_noise(a, rng, 5), 0.6)), 80))


def phone_photo(page: RenderedPage, rng: np.random.Generator) -> RenderedPage:
    """Perspective up to 5°, the page on a darker desk, a shadow, blur and JPEG."""
    a = _arr(page)
    h, w = a.shape[:2]
    pad = int(0.06 * w)
    canvas = np.full((h + 2 * pad, w + 2 * pad, 3), (90, 80, 70), np.float32)
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    tilt = math.tan(math.radians(rng.uniform(2.5, 5.0))) * w * 0.5
    jit = rng.uniform(-0.4, 0.4, (4, 2)) * tilt
    dst = np.array(
        [[pad, pad], [pad + w, pad], [pad + w, pad + h], [pad, pad + h]], dtype=np.float32
    )
    dst += np.array([[tilt, 0], [-tilt * 0.3, 0], [0, 0], [0, 0]], dtype=np.float32) + jit.astype(
        np.float32
    )
    m = cv2.getPerspectiveTransform(src, dst)
    warped = cv2.warpPerspective(
        a, m, (canvas.shape[1], canvas.shape[0]), borderMode=cv2.BORDER_TRANSPARENT, dst=canvas
    )
    warped = warped * _gradient(warped.shape[0], warped.shape[1], rng, 0.55)
    warped = _blur(_noise(warped, rng, 8), 1.0)
    return replace(page, image=_jpeg(_img(warped), 70))


def seal(page: RenderedPage, rng: np.random.Generator) -> RenderedPage:
    """A red seal stamped over body text, mid-page."""
    from .render import draw_seal

    img = page.image.copy()
    x = int(page.image.width * rng.uniform(0.35, 0.65))
    y = int(page.image.height * rng.uniform(0.35, 0.6))
    draw_seal(img, (x, y), page.dpi)
    return replace(page, image=img)


def low_dpi_scan(page: RenderedPage, dpi: int = 120, seed: int = 0) -> RenderedPage:
    """An office scan at low resolution: slight blur, resampled to `dpi`, sensor noise,
    strong JPEG. Why apart from CONDITIONS: on such pages Tesseract `vie` starts to
    misread the tones over hats (hỏi read as sắc), the slips restoration has to undo, so
    the restoration benchmark uses it; the OCR benchmarks keep their conditions."""
    rng = np.random.default_rng(seed)
    img = page.image.convert("L")
    a = _blur(np.asarray(img, dtype=np.float32), 0.7)
    h, w = a.shape
    a = cv2.resize(a, (w * dpi // page.dpi, h * dpi // page.dpi), interpolation=cv2.INTER_LINEAR)
    a = a + rng.normal(0, 8, a.shape)
    grey = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
    buf = io.BytesIO()
    grey.save(buf, "JPEG", quality=55)
    buf.seek(0)
    return replace(page, image=Image.open(buf).convert("L"), dpi=dpi)


def degrade(page: RenderedPage, condition: str, seed: int = 0) -> RenderedPage:
    """The same page (same truth) under `condition`, one of CONDITIONS."""
    if condition not in CONDITIONS:
        raise ValueError(f"unknown condition {condition!r}; one of {', '.join(CONDITIONS)}")
    if condition == "clean":
        return page
    rng = np.random.default_rng(seed)
    return globals()[condition](page, rng)


__all__ = ["CONDITIONS", "degrade", "low_dpi_scan"]
