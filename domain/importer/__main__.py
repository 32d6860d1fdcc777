"""``python -m domain.importer PATH --json``."""

import sys

from domain.importer.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:], sys.stdout, sys.stderr))
