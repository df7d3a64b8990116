"""CodeAtlas entry point: python main.py [--smoke-test]."""

from __future__ import annotations

import sys

from desktop.app import run

if __name__ == "__main__":
    sys.exit(run(sys.argv))
