/*
 * Web eID login page: a small client of the Web eID page-to-extension message protocol,
 * written for this portal from the protocol's public documentation (the web-eid.js
 * library is not on the registry we build from).
 *
 * The protocol. The page and the extension's content script share the page's window and
 * talk with window.postMessage. The page posts a request {action: "web-eid:<name>", ...};
 * the extension answers at once with "web-eid:<name>-ack" (it is there and took the
 * request), then with "web-eid:<name>-success" (the result's fields beside `action`) or
 * "web-eid:<name>-failure" ({error: {code, message}}). Two requests are used here:
 *   web-eid:status        {libraryVersion}                          -> {extension, nativeApp}
 *   web-eid:authenticate  {libraryVersion, challengeNonce, options} -> the authentication token's
 *                          fields: unverifiedCertificate, algorithm, signature, format, appVersion
 * Timeouts: no ack within 1 s means no extension (ERR_WEBEID_EXTENSION_UNAVAILABLE); the
 * answer must come within 1 s + 5 s (the extension starts the native application) + the
 * user's time (120 s, for authenticate), else ERR_WEBEID_ACTION_TIMEOUT. Only messages
 * from this very window and origin are taken as the extension's answers.
 *
 * This page holds no user text: every message is rendered translated by the gateway into
 * the JSON block #webeid-messages, by key; the script maps the protocol's error codes to
 * those keys. The token goes to the gateway in the server-rendered, CSRF-protected form.
 */
(function () {
  "use strict";

  // The protocol version announced to the extension (web-eid.js 2.x messages): the
  // extension refuses a library whose major version is newer than its own.
  var PROTOCOL_VERSION = "2.0.0";
  var EXTENSION_LOAD_DELAY_MS = 1000;  // content scripts may start after the page's own
  var ACK_TIMEOUT_MS = 1000;
  var NATIVE_APP_START_MS = 5000;
  var USER_INTERACTION_MS = 120000;  // insert the card, choose the certificate, type the PIN
  var TOKEN_FIELDS = ["unverifiedCertificate", "algorithm", "signature", "format", "appVersion"];

  // Error codes of the protocol (and of this client) -> keys of the page's messages.
  var MESSAGE_FOR_CODE = {
    ERR_WEBEID_EXTENSION_UNAVAILABLE: "extension_missing",
    ERR_WEBEID_NATIVE_UNAVAILABLE: "native_missing",
    ERR_WEBEID_VERSION_MISMATCH: "update",
    ERR_WEBEID_VERSION_INVALID: "update",
    ERR_WEBEID_USER_CANCELLED: "cancelled",
    ERR_WEBEID_USER_TIMEOUT: "timeout",
    ERR_WEBEID_ACTION_TIMEOUT: "timeout",
    ERR_WEBEID_NATIVE_FATAL: "card",
    ERR_WEBEID_NATIVE_INVALID_ARGUMENT: "card",
    ERR_WEBEID_CONTEXT_INSECURE: "insecure",
    ERR_WEBEID_ACTION_PENDING: "pending",
    ERR_WEBEID_UNKNOWN_ERROR: "unknown",
    SSP_CHALLENGE_FAILED: "server",
  };
  // Codes after which the install instructions are what the person needs.
  var INSTALL_CODES = ["ERR_WEBEID_EXTENSION_UNAVAILABLE", "ERR_WEBEID_NATIVE_UNAVAILABLE",
                       "ERR_WEBEID_VERSION_MISMATCH", "ERR_WEBEID_VERSION_INVALID"];

  function failure(code) {
    return { code: code };
  }

  // --- the message channel to the extension ------------------------------------------

  var startedAt = Date.now();
  var pending = {};  // request action -> {resolve, reject, ackTimer, replyTimer}

  function settle(action) {
    var request = pending[action];
    if (request) {
      clearTimeout(request.ackTimer);
      clearTimeout(request.replyTimer);
      delete pending[action];
    }
    return request;
  }

  window.addEventListener("message", function (event) {
    if (event.source !== window || event.origin !== window.location.origin) return;
    var data = event.data;
    if (!data || typeof data.action !== "string") return;
    var parts = /^(web-eid:[a-z-]+?)-(ack|success|failure)$/.exec(data.action);
    if (!parts || !pending[parts[1]]) return;
    var action = parts[1];
    if (parts[2] === "ack") {
      clearTimeout(pending[action].ackTimer);
    } else if (parts[2] === "success") {
      settle(action).resolve(data);
    } else {
      var error = data.error && typeof data.error.code === "string" ? data.error : failure("ERR_WEBEID_UNKNOWN_ERROR");
      settle(action).reject(error);
    }
  });

  function sleep(ms) {
    return new Promise(function (resolve) { setTimeout(resolve, Math.max(0, ms)); });
  }

  async function send(message, replyTimeoutMs) {
    await sleep(startedAt + EXTENSION_LOAD_DELAY_MS - Date.now());
    if (pending[message.action]) throw failure("ERR_WEBEID_ACTION_PENDING");
    if (!window.isSecureContext) throw failure("ERR_WEBEID_CONTEXT_INSECURE");
    return new Promise(function (resolve, reject) {
      var request = { resolve: resolve, reject: reject };
      request.ackTimer = setTimeout(function () {
        settle(message.action);
        reject(failure("ERR_WEBEID_EXTENSION_UNAVAILABLE"));
      }, ACK_TIMEOUT_MS);
      request.replyTimer = setTimeout(function () {
        settle(message.action);
        reject(failure("ERR_WEBEID_ACTION_TIMEOUT"));
      }, replyTimeoutMs);
      pending[message.action] = request;
      window.postMessage(message, window.location.origin);
    });
  }

  function status() {
    return send({ action: "web-eid:status", libraryVersion: PROTOCOL_VERSION },
                ACK_TIMEOUT_MS + NATIVE_APP_START_MS);
  }

  async function authenticate(challengeNonce, lang) {
    var reply = await send({
      action: "web-eid:authenticate",
      libraryVersion: PROTOCOL_VERSION,
      challengeNonce: challengeNonce,
      options: { lang: lang, userInteractionTimeout: USER_INTERACTION_MS },
    }, ACK_TIMEOUT_MS + NATIVE_APP_START_MS + USER_INTERACTION_MS);
    var token = {};
    TOKEN_FIELDS.forEach(function (field) {
      if (typeof reply[field] !== "string" || !reply[field]) throw failure("ERR_WEBEID_UNKNOWN_ERROR");
      token[field] = reply[field];
    });
    return token;
  }

  // --- the page ----------------------------------------------------------------------

  var form = document.getElementById("webeid-form");
  var messagesBlock = document.getElementById("webeid-messages");
  if (!form || !messagesBlock) return;
  var messages = JSON.parse(messagesBlock.textContent);
  var button = document.getElementById("webeid-start");
  var tokenInput = document.getElementById("webeid-token");
  var statusBox = document.getElementById("webeid-status");
  var errorBox = document.getElementById("webeid-error");
  var refusalBox = document.getElementById("webeid-refusal");
  var install = document.getElementById("webeid-install");
  var csrfInput = form.querySelector('input[name="csrf_token"]');
  var busy = false;

  function showStatus(key) {
    statusBox.textContent = key ? messages[key] : "";
    statusBox.hidden = !key;
  }

  function showError(error) {
    var code = error && error.code;
    errorBox.textContent = messages[MESSAGE_FOR_CODE[code] || "unknown"];
    errorBox.hidden = false;
    if (INSTALL_CODES.indexOf(code) >= 0) install.hidden = false;
  }

  function clearMessages() {
    errorBox.hidden = true;
    errorBox.textContent = "";
    if (refusalBox) refusalBox.hidden = true;
  }

  async function newChallenge() {
    var reply;
    try {
      reply = await fetch(form.dataset.challengeUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfInput.value, "Accept": "application/json" },
      });
    } catch (networkError) {
      throw failure("SSP_CHALLENGE_FAILED");
    }
    if (!reply.ok) throw failure("SSP_CHALLENGE_FAILED");
    var body = await reply.json();
    if (!body || typeof body.nonce !== "string") throw failure("SSP_CHALLENGE_FAILED");
    return body.nonce;
  }

  async function logIn() {
    busy = true;
    button.disabled = true;
    clearMessages();
    showStatus("working");
    try {
      var nonce = await newChallenge();
      var token = await authenticate(nonce, form.dataset.lang);
      tokenInput.value = JSON.stringify(token);
      form.submit();  // the server-rendered form, with its CSRF token
    } catch (error) {
      showStatus(null);
      showError(error);
      tokenInput.value = "";
      busy = false;
      button.disabled = false;
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!busy) logIn();
  });

  // Back to this page from the next one (back/forward cache): ready for another try.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      busy = false;
      button.disabled = false;
      tokenInput.value = "";
      showStatus(null);
    }
  });

  async function start() {
    form.hidden = false;
    showStatus("checking");
    try {
      await status();
      showStatus("ready");
      button.disabled = false;
    } catch (error) {
      showStatus(null);
      if (error.code === "ERR_WEBEID_EXTENSION_UNAVAILABLE") {
        form.hidden = true;  // nothing to press: the instructions and the other path remain
        showError(error);
      } else if (error.code === "ERR_WEBEID_CONTEXT_INSECURE") {
        form.hidden = true;
        showError(error);
      } else {
        showError(error);  // the login may still work (e.g. only an update is advised)
        button.disabled = false;
      }
    }
  }

  start();
})();
