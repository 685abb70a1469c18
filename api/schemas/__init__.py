"""Pydantic request and response bodies (layered Fields / Create / Update / Public).

They check shapes and vocabularies only; the court-order rules (Pasal 85) are checked by
``matcher.validate`` on the mapped values, exactly as for files, so both give the same answer.
"""
