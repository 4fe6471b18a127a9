"""The bank's fixed vocabulary, in a module of its own so the start-up path can use it without
loading the content parser."""

DIFFICULTIES = ("Easy", "Medium", "Hard")
KINDS = ("Technical", "System Design")
OPTION_LETTERS = ("A", "B", "C", "D")
