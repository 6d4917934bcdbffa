// Progress for a long upload: the file is sent by XMLHttpRequest, which reports how much has gone, and the page
// that comes back replaces this one. Without JavaScript the form is sent as usual and the browser shows progress.
function says (form, text) {
  const status = form.querySelector('.coprod-progress')
  if (status) status.textContent = text
}

function upload (form, event) {
  if (!window.FormData || !window.XMLHttpRequest) return
  event.preventDefault()
  const bar = form.querySelector('progress')
  const request = new XMLHttpRequest()
  request.open('POST', form.action)
  request.upload.addEventListener('progress', (sent) => {
    if (!sent.lengthComputable) return
    const share = Math.round(100 * sent.loaded / sent.total)
    bar.hidden = false
    bar.value = share
    says(form, `Sending the file: ${share}%`)
  })
  request.upload.addEventListener('load', () => says(form, 'Checking every row. A large file takes a minute.'))
  request.addEventListener('load', () => {
    document.open()
    document.write(request.responseText)
    document.close()
  })
  request.addEventListener('error', () => says(form, 'The file could not be sent. Check your connection and try again.'))
  request.send(new FormData(form))
}

export function enhanceUploads () {
  document.querySelectorAll('form[data-coprod-upload]').forEach((form) => {
    form.addEventListener('submit', (event) => upload(form, event))
  })
  document.querySelectorAll('form[data-coprod-storing]').forEach((form) => {
    form.addEventListener('submit', () => says(form, 'Storing every row. A large file takes a minute.'))
  })
}
