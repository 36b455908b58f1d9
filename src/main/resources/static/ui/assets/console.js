// The console's only script (the content security policy allows no inline one): htmx sends the CSRF
// token on its requests, "select all" boxes, selects that submit their form, and a confirmation before a destructive button.
document.addEventListener('htmx:configRequest', function (event) {
  var header = document.querySelector('meta[name="csrf-header"]');
  var token = document.querySelector('meta[name="csrf-token"]');
  if (header && token) {
    event.detail.headers[header.content] = token.content;
  }
});
document.addEventListener('change', function (event) {
  if (event.target.hasAttribute('data-autosubmit')) {
    event.target.form.submit();
  }
  if (event.target.classList.contains('select-all')) {
    var form = event.target.closest('form');
    form.querySelectorAll('input[name="ids"]').forEach(function (box) { box.checked = event.target.checked; });
  }
});
document.addEventListener('click', function (event) {
  var button = event.target.closest('[data-confirm]');
  if (button && button.dataset.confirm && !window.confirm(button.dataset.confirm)) {
    event.preventDefault();
  }
});
