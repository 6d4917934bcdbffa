import { initAll } from '/static/govuk/govuk-frontend.min.js'
import { enhanceUploads } from '/static/web/upload.js'
initAll()
enhanceUploads()
