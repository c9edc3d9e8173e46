export const id = 905;
export const ids = [905];
export const modules = {

/***/ 6905:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   openSealedTaskId: () => (/* binding */ openSealedTaskId)
/* harmony export */ });
/* unused harmony export x25519FromAgentKey */
/* harmony import */ var _noble_ciphers_salsa_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(6382);
/* harmony import */ var _noble_curves_ed25519_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6543);
/* harmony import */ var _noble_hashes_blake2_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(2149);
/* harmony import */ var _messages_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4279);
/* harmony import */ var _base64_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6894);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8598);
/**
 * Opens the `encrypted_task_id` of a task registration response: a libsodium
 * sealed box (`crypto_box_seal`) addressed to the X25519 form of the agent key.
 *
 * Node's crypto has neither XSalsa20 nor BLAKE2b with a 24-byte output, so
 * this module uses the audited, dependency-free noble libraries. It is the
 * only module that imports them: load it lazily, and modes that never receive
 * an encrypted task id never pay for them.
 */






const KEY_LENGTH = 32;
const NONCE_LENGTH = 24;
const TAG_LENGTH = 16;
// Ephemeral public key, then the Poly1305 tag of the (possibly empty) box.
const SEAL_OVERHEAD = KEY_LENGTH + TAG_LENGTH;
// hsalsa takes native-endian word views over the byte strings (it swaps on
// big-endian hosts itself), hence views rather than numeric constants.
const SIGMA = new Uint32Array(new TextEncoder().encode('expand 32-byte k').buffer);
// crypto_box_beforenm runs HSalsa20 with an all-zero 16-byte input.
const ZERO_INPUT = new Uint32Array(4);
// fatal: a task id that is not UTF-8 is rejected as Codex does, not patched
// with U+FFFD; ignoreBOM: a leading BOM is kept, as Rust's from_utf8 keeps it.
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
/**
 * Derives the X25519 key pair a sealed box for this agent key is addressed
 * to: secret = clamp(SHA-512(seed)[0..32]), public = the Montgomery form of
 * the Ed25519 public key (libsodium's `crypto_sign_ed25519_*_to_curve25519`).
 *
 * @param key - the agent key
 * @returns the recipient key pair; the caller should wipe `secretKey`
 */
function x25519FromAgentKey(key) {
    return {
        secretKey: _noble_curves_ed25519_js__WEBPACK_IMPORTED_MODULE_1__/* .ed25519 */ .ev.utils.toMontgomerySecret(key.seed),
        publicKey: _noble_curves_ed25519_js__WEBPACK_IMPORTED_MODULE_1__/* .ed25519 */ .ev.utils.toMontgomery(key.publicKey)
    };
}
/**
 * Decrypts an `encrypted_task_id`: standard base64 of
 * `crypto_box_seal(taskId, x25519FromAgentKey(key).publicKey)`.
 *
 * @param encryptedB64 - the field's text, exactly as received
 * @param key - the agent key the box is addressed to
 * @returns the task id
 * @throws {@link CryptoError} with `ENCRYPTED_TASK_ID_NOT_BASE64` when the text
 *   is not strict standard base64, or `TASK_ID_DECRYPT_FAILED` when the box
 *   does not open with this key or its plaintext is not UTF-8
 */
function openSealedTaskId(encryptedB64, key) {
    const sealed = (0,_base64_js__WEBPACK_IMPORTED_MODULE_2__/* .decodeBase64 */ .y4)(encryptedB64);
    if (sealed === null)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .CryptoError */ .i(_messages_js__WEBPACK_IMPORTED_MODULE_3__/* .ENCRYPTED_TASK_ID_NOT_BASE64 */ .DN);
    try {
        return UTF8.decode(openSealedBox(sealed, key));
    }
    catch (cause) {
        // One message for every failure: which check failed is no use to the
        // user and would tell a prober more than it needs.
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .CryptoError */ .i(_messages_js__WEBPACK_IMPORTED_MODULE_3__/* .TASK_ID_DECRYPT_FAILED */ .yd, { cause });
    }
}
/** libsodium `crypto_box_seal_open`; throws when the box does not open. */
function openSealedBox(sealed, key) {
    if (sealed.length < SEAL_OVERHEAD)
        throw new Error('sealed box too short');
    const ephemeralPublic = sealed.subarray(0, KEY_LENGTH);
    const recipient = x25519FromAgentKey(key);
    let shared;
    let boxKey;
    try {
        // Throws on a low-order ephemeral key (all-zero shared secret), where
        // libsodium's crypto_scalarmult fails too.
        shared = _noble_curves_ed25519_js__WEBPACK_IMPORTED_MODULE_1__/* .x25519 */ .TU.getSharedSecret(recipient.secretKey, ephemeralPublic);
        boxKey = hsalsa20(shared);
        const nonce = _noble_hashes_blake2_js__WEBPACK_IMPORTED_MODULE_4__/* .blake2b */ .Sx
            .create({ dkLen: NONCE_LENGTH })
            .update(ephemeralPublic)
            .update(recipient.publicKey)
            .digest();
        return (0,_noble_ciphers_salsa_js__WEBPACK_IMPORTED_MODULE_5__/* .xsalsa20poly1305 */ .uT)(boxKey, nonce).decrypt(sealed.subarray(KEY_LENGTH));
    }
    finally {
        recipient.secretKey.fill(0);
        shared?.fill(0);
        boxKey?.fill(0);
    }
}
/** HSalsa20(shared, 0^16): libsodium `crypto_box_beforenm` after the DH. */
function hsalsa20(shared) {
    // A fresh buffer guarantees the 4-byte alignment a word view needs.
    const input = new Uint8Array(KEY_LENGTH);
    input.set(shared);
    const out = new Uint32Array(KEY_LENGTH / 4);
    (0,_noble_ciphers_salsa_js__WEBPACK_IMPORTED_MODULE_5__/* .hsalsa */ .bD)(SIGMA, new Uint32Array(input.buffer), ZERO_INPUT, out);
    input.fill(0);
    return new Uint8Array(out.buffer);
}


/***/ })

};
