"""Where the builder's inputs and outputs are in the repository."""
import os

TOOLS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPOSITORY = os.path.dirname(os.path.dirname(TOOLS))
SOURCES = os.path.join(REPOSITORY, "Datasets", "sources")
FILES = os.path.join(REPOSITORY, "Datasets", "files")
MANIFESTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "manifests")
