"""Developer tools: test and demo file generators."""
