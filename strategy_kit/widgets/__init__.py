"""Forms (ipywidgets) where the strategist enters what the data cannot tell: persona, market, SWOT."""
