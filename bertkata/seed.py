"""The seed notebook's two sentences: the batch the exercises, their tests, grading and the docs start from."""

SEED = ("我觉得不行", "我觉得其实还可以")
