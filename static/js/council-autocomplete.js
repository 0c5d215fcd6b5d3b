// Progressive enhancement of the council <select>: a type-ahead (GOV.UK's accessible-autocomplete).
// Without JavaScript the plain <select> works; with it, typing "Manch" offers Manchester.
document.addEventListener("DOMContentLoaded", () => {
  if (!window.accessibleAutocomplete) return;
  document.querySelectorAll('select[data-module="council-autocomplete"]').forEach((select) => {
    const describedBy = select.getAttribute("aria-describedby");
    const invalid = select.getAttribute("aria-invalid");
    window.accessibleAutocomplete.enhanceSelectElement({
      selectElement: select,
      defaultValue: "",
      showAllValues: false,
      minLength: 2,
      dropdownArrow: () => "",
      tNoResults: () => "No council found",
    });
    const input = document.getElementById(select.id.replace(/-select$/, ""));
    if (!input) return;
    if (describedBy) input.setAttribute("aria-describedby", describedBy);
    if (invalid) input.setAttribute("aria-invalid", invalid);
    // Keep the hidden <select> honest: if the text no longer names a council, choose none, so
    // the server says "choose your council" instead of keeping an old choice.
    input.form.addEventListener("submit", () => {
      const match = Array.from(select.options).find((option) => option.value && option.text === input.value.trim());
      select.value = match ? match.value : "";
    });
  });
});
