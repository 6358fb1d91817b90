"""Understanding documents, one stage at a time.

Each stage is a plain function of one document, so that the same code runs in a worker pool or on a
distributed engine. The metadata stage (``metadata.analyse``) decides what kind of document a text is, when it
was written and, for council papers, which Vorlage it is; later stages (NLP, entities, topics, trends) build
on that.
"""
