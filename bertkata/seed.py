"""The seed notebook's two sentences: the batch the exercises, their tests, grading and the docs start from."""

SEED = ("我觉得不行", "我觉得其实还可以")
# Their ids in bert-base-chinese's vocabulary, as tokenizer(list(SEED)) gives them: [CLS] (101) ... [SEP] (102).
SEED_ROWS = ((101, 2769, 6230, 2533, 679, 6121, 102), (101, 2769, 6230, 2533, 1071, 2141, 6820, 1377, 809, 102))
# tokenizer(list(SEED), padding=True): the shorter row ends in three [PAD] (0).
SEED_IDS = (SEED_ROWS[0] + (0, 0, 0), SEED_ROWS[1])
