"""Takes the last token last_hidden_state[:, -1, :] ([SEP] or a [PAD]) instead of [CLS] at position 0."""

EXPECT = "last token"


def cls_embeddings(last_hidden_state):
    return last_hidden_state[:, -1, :]
