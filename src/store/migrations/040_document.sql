-- 040_document: the PDFs of documents (app/docs/pdf.c). A PDF is the DOCX
-- of a record converted by LibreOffice, and the DOCX of a record is the same
-- bytes every time, so a PDF is kept by the SHA-256 of the DOCX it was made
-- from: whoever renders that DOCX again (any server, any caller who sees the
-- record) gets the PDF without converting. job_id is the conversion (a
-- "document.pdf" job of 005_jobs); pdf is the file, base64, once converted.
CREATE TABLE doc_pdf (
    docx_sha256   TEXT PRIMARY KEY,
    job_id        BIGINT REFERENCES job (id),
    pdf           TEXT,
    pdf_sha256    TEXT,
    pdf_size      BIGINT,
    created_at    TEXT NOT NULL,
    converted_at  TEXT
);
