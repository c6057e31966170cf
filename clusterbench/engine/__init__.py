"""The wheel-only engine, by stage: parse the chapters, execute their cells, assemble the book, write HTML and Typst."""
