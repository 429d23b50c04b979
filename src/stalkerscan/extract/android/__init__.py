"""Android artifacts -> typed records (``stalkerscan.model.android``).

One module per artifact kind. Every ``parse_*`` function is pure, takes the artifact's text or bytes
and never looks at where they came from. Line-based parsers keep going over lines they do not know;
parsers of structured files (JSON) raise ``ArtifactError`` when the whole file is unreadable, so the
caller can report it as not checked instead of reading silence as "nothing there".
"""
