#!/usr/bin/env python3
"""Tisser's command line: `python search.py --help`."""

from pipeline.cli import main

if __name__ == "__main__":
    main()
