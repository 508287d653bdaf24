"""The register: SQLAlchemy models, numbering, jobs, audit trail, queries and exports."""
