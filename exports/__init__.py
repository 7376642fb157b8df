"""Documents: spreadsheets read and written, and (later) PDF. Never imports Qt."""
