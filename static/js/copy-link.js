// The "Copy link" button: copies the share link; where the clipboard is refused (or absent, as on
// plain http from another machine) it shows the link selected in a field, ready for Ctrl+C.

/** @param {HTMLButtonElement} button  @param {HTMLInputElement} field  @param {() => Promise<string>} makeUrl */
export function bindCopyLink(button, field, makeUrl) {
  const label = button.textContent;
  let restore = null;
  button.addEventListener("click", async () => {
    const url = await makeUrl();
    field.value = url;
    let copiedBy = "clipboard";
    try {
      await navigator.clipboard.writeText(url);
      field.hidden = true;
    } catch {
      copiedBy = "field";
      field.hidden = false;
      field.focus();
      field.select();
    }
    button.dataset.copied = copiedBy;
    button.textContent = copiedBy === "clipboard" ? "✓ Copied" : "Ctrl/⌘+C to copy";
    clearTimeout(restore);
    restore = setTimeout(() => { button.textContent = label; }, 2000);
  });
}
