"""Forms (ipywidgets) where the strategist enters what the data cannot tell: persona, market, SWOT,
objectives. What they share (numbers typed as the language writes them, the confirm step): form.py."""
