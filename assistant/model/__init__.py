"""The optional model side, apart from the offline pipeline: `adapter` (the chat interface to an
OpenAI-compatible server and its BUDGETQA_LLM_* settings), `answerer` (the model rewrites an offline answer's
text with tools), `guard` (every figure of a model's text must come from what it was shown), `plan` (the
model proposes the question's plan, validated against the document's labels, never a figure), `review`
(the model's plan beside the offline one: agree, or say so and take the safer) and `prompts/` (the prompt
templates, as data).

Imported only when a model is configured: the offline path never pays for llama-index or openai.
"""
