"""vnplans: orchestration and the `vnplans` command.

Kept import-light on purpose: the stage packages import `vnplans.exceptions`, so this
module must not import any stage.
"""

__version__ = "0.1.0"
# Bumped when a stage's output changes, so resumable batches redo affected documents.
PIPELINE_VERSION = "9"

__all__ = ["PIPELINE_VERSION", "__version__"]
