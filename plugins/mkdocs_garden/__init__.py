"""mkdocs-garden: publish an Obsidian vault as a MkDocs Material digital garden."""

__version__ = "0.1.0"
