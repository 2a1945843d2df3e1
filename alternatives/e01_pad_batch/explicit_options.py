"""What the shorthand stands for: padding=True is padding="longest", truncation=True is truncation="longest_first", and a missing max_length means tokenizer.model_max_length.
简写背后的含义：padding=True 即 padding="longest"，truncation=True 即 truncation="longest_first"，不给 max_length 就用 tokenizer.model_max_length。
"""


def tokenize_batch(tokenizer, sentences):
    if isinstance(sentences, str) or any(not isinstance(s, str) for s in sentences):
        raise TypeError("tokenize_batch wants a list of sentences (str), e.g. ['我觉得不行']")
    if len(sentences) == 0:
        raise ValueError("tokenize_batch wants at least one sentence")
    return tokenizer(text=list(sentences), padding="longest", truncation="longest_first",
                     max_length=tokenizer.model_max_length, return_tensors="pt")
