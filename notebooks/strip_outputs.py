"""Strip outputs, execution counts and run metadata from notebooks before committing them.

    .venv-notebooks/bin/python notebooks/strip_outputs.py notebooks/*.ipynb

notebooks/tests/test_notebooks.py fails on a notebook committed with outputs.
"""
import sys

import nbformat

CELL_METADATA = ("execution", "papermill", "collapsed", "scrolled")
NOTEBOOK_METADATA = ("papermill", "widgets")


def strip(path: str) -> bool:
    nb = nbformat.read(path, as_version=4)
    before = nbformat.writes(nb)
    for cell in nb.cells:
        for key in CELL_METADATA:
            cell.metadata.pop(key, None)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    for key in NOTEBOOK_METADATA:
        nb.metadata.pop(key, None)
    after = nbformat.writes(nb)
    if after != before:
        nbformat.write(nb, path)
    return after != before


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    for p in sys.argv[1:]:
        print(f"{p}: {'stripped' if strip(p) else 'already clean'}")
