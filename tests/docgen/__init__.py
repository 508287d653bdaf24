"""Test documents with known fields: ND30 PDFs, their scans, and the truth (see README.md).

Entry points: `random_docs.make_specs`, `random_docs.secret_spec`, `random_docs.complaint_spec`,
`render.render_pdf`, `scan.scan`, `scan.save_as`; `python -m tests.docgen` for a corpus.
"""
