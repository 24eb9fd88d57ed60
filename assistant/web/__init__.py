"""The web app's parts (Gradio UI and the server around it); `app.py` puts them together.

`chat` (问答 and 图表 tabs), `compare_tab` (对比 tab, document picker glue) with `compare` (the side-by-side
figures), `staff` (核对 workspace) with `staff_jobs` (login, uploads, the ingest worker, without Gradio),
`render` (answers, tables and findings as Markdown/HTML), `charts`, and `server` (the ASGI app: `/api/ask`,
the upload guard, temporary files). Nothing here answers a question: that is `assistant.api`.
"""
