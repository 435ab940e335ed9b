// Photos of signed sheets: shrink each photo on the phone to about 2,000 px before it is sent
// (a 12-MP photo of 4 MB becomes about 300 KB: faster on weak mobile data, read as well).
// Without this file, or in a browser that cannot, the photos are sent as taken and the server
// shrinks them: the page works either way.
(function () {
  "use strict";
  var form = document.querySelector("form.sheet-photos-form");
  if (!form || !window.createImageBitmap || !window.DataTransfer || !HTMLCanvasElement.prototype.toBlob) {
    return;
  }
  var input = form.querySelector("input[type=file]");
  var status = form.querySelector(".sheet-photos-status");
  var longest = parseInt(form.getAttribute("data-shrink"), 10) || 2000;
  var shrunk = false;

  function shrink(file) {
    if (!/^image\/(jpeg|png)$/.test(file.type)) { return Promise.resolve(file); }
    return createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bitmap) {
      var scale = Math.min(1, longest / Math.max(bitmap.width, bitmap.height));
      if (scale === 1) { return file; }
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          if (!blob) { resolve(file); return; }
          var name = file.name.replace(/\.[^.]*$/, "") + ".jpg";
          resolve(new File([blob], name, { type: "image/jpeg" }));
        }, "image/jpeg", 0.85);
      });
    }).catch(function () { return file; });
  }

  form.addEventListener("submit", function (event) {
    if (shrunk || !input.files || !input.files.length) { return; }
    event.preventDefault();
    if (status) { status.textContent = status.getAttribute("data-busy") || "…"; }
    Promise.all(Array.prototype.map.call(input.files, shrink)).then(function (files) {
      var transfer = new DataTransfer();
      files.forEach(function (f) { transfer.items.add(f); });
      input.files = transfer.files;
      shrunk = true;
      form.submit();
    });
  });
}());
