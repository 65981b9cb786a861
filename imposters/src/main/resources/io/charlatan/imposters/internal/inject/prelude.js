// Charlatan: what Mountebank's injected JavaScript finds around it (its config object, the old
// positional arguments, its logger, the imposter's state) and a small Buffer for the calls
// Mountebank's documentation makes. Evaluated once per imposter; returns the entry points.
(function (hostLog, hostSettled) {
  'use strict';

  function format(args) {
    // Node's util.format as winston applies it: %s %d %i %f %j %o %O, then the rest joined.
    if (args.length === 0) {
      return '';
    }
    let rest = Array.prototype.slice.call(args, 1);
    let first = args[0];
    let text;
    if (typeof first === 'string') {
      text = first.replace(/%[sdifjoO%]/g, spec => {
        if (spec === '%%') {
          return '%';
        }
        if (rest.length === 0) {
          return spec;
        }
        const value = rest.shift();
        switch (spec) {
          case '%d':
          case '%i':
            return String(spec === '%i' ? parseInt(value) : Number(value));
          case '%f':
            return String(parseFloat(value));
          case '%j':
          case '%o':
          case '%O':
            return stringify(value);
          default:
            return typeof value === 'object' && value !== null ? stringify(value) : String(value);
        }
      });
    } else {
      text = typeof first === 'object' && first !== null ? stringify(first) : String(first);
    }
    rest.forEach(value => {
      text += ' ' + (typeof value === 'object' && value !== null ? stringify(value) : String(value));
    });
    return text;
  }

  function stringify(value) {
    try {
      return JSON.stringify(value);
    } catch (circular) {
      return String(value);
    }
  }

  const logger = Object.freeze({
    debug: function () { hostLog('debug', format(arguments)); },
    info: function () { hostLog('info', format(arguments)); },
    warn: function () { hostLog('warn', format(arguments)); },
    error: function () { hostLog('error', format(arguments)); }
  });

  // --- Buffer: the part of Node's that injection scripts use -----------------------------------
  const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const BASE64_VALUES = (() => {
    const values = {};
    for (let i = 0; i < BASE64.length; i++) {
      values[BASE64[i]] = i;
    }
    values['-'] = 62;
    values['_'] = 63;
    return values;
  })();

  function utf8Bytes(text) {
    const bytes = [];
    for (let i = 0; i < text.length; i++) {
      let code = text.codePointAt(i);
      if (code > 0xffff) {
        i++;
      } else if (code >= 0xd800 && code <= 0xdfff) {
        code = 0xfffd;
      }
      if (code < 0x80) {
        bytes.push(code);
      } else if (code < 0x800) {
        bytes.push(0xc0 | (code >> 6), 0x80 | (code & 63));
      } else if (code < 0x10000) {
        bytes.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63));
      } else {
        bytes.push(0xf0 | (code >> 18), 0x80 | ((code >> 12) & 63), 0x80 | ((code >> 6) & 63),
          0x80 | (code & 63));
      }
    }
    return bytes;
  }

  function utf8Text(bytes, start, end) {
    let text = '';
    let i = start;
    while (i < end) {
      const byte = bytes[i];
      let code = 0xfffd;
      let length = 1;
      if (byte < 0x80) {
        code = byte;
      } else if (byte >= 0xc2 && byte < 0xe0 && i + 1 < end && (bytes[i + 1] & 0xc0) === 0x80) {
        code = ((byte & 31) << 6) | (bytes[i + 1] & 63);
        length = 2;
      } else if (byte >= 0xe0 && byte < 0xf0 && i + 2 < end
          && (bytes[i + 1] & 0xc0) === 0x80 && (bytes[i + 2] & 0xc0) === 0x80) {
        code = ((byte & 15) << 12) | ((bytes[i + 1] & 63) << 6) | (bytes[i + 2] & 63);
        length = 3;
      } else if (byte >= 0xf0 && byte < 0xf5 && i + 3 < end && (bytes[i + 1] & 0xc0) === 0x80
          && (bytes[i + 2] & 0xc0) === 0x80 && (bytes[i + 3] & 0xc0) === 0x80) {
        code = ((byte & 7) << 18) | ((bytes[i + 1] & 63) << 12) | ((bytes[i + 2] & 63) << 6)
          | (bytes[i + 3] & 63);
        length = 4;
      }
      text += String.fromCodePoint(code);
      i += length;
    }
    return text;
  }

  function base64Bytes(text) {
    const bytes = [];
    let bits = 0;
    let count = 0;
    for (let i = 0; i < text.length; i++) {
      const value = BASE64_VALUES[text[i]];
      if (value === undefined) {
        if (text[i] === '=') {
          break;
        }
        continue;
      }
      bits = (bits << 6) | value;
      count += 6;
      if (count >= 8) {
        count -= 8;
        bytes.push((bits >> count) & 255);
      }
    }
    return bytes;
  }

  function base64Text(bytes, start, end) {
    let text = '';
    for (let i = start; i < end; i += 3) {
      const a = bytes[i];
      const b = i + 1 < end ? bytes[i + 1] : 0;
      const c = i + 2 < end ? bytes[i + 2] : 0;
      text += BASE64[a >> 2] + BASE64[((a & 3) << 4) | (b >> 4)]
        + (i + 1 < end ? BASE64[((b & 15) << 2) | (c >> 6)] : '=')
        + (i + 2 < end ? BASE64[c & 63] : '=');
    }
    return text;
  }

  function bytesOf(value, encoding) {
    if (typeof value === 'string') {
      const name = String(encoding || 'utf8').toLowerCase();
      if (name === 'base64' || name === 'base64url') {
        return base64Bytes(value);
      }
      if (name === 'hex') {
        const bytes = [];
        for (let i = 0; i + 1 < value.length; i += 2) {
          const byte = parseInt(value.substr(i, 2), 16);
          if (isNaN(byte)) {
            break;
          }
          bytes.push(byte);
        }
        return bytes;
      }
      if (name === 'ascii' || name === 'latin1' || name === 'binary') {
        return Array.from(value, ch => ch.charCodeAt(0) & 255);
      }
      return utf8Bytes(value);
    }
    return Array.from(value, byte => Number(byte) & 255);
  }

  class Buffer extends Uint8Array {
    static from(value, encodingOrOffset, length) {
      if (value instanceof ArrayBuffer) {
        return new Buffer(value, encodingOrOffset || 0, length);
      }
      return new Buffer(bytesOf(value, encodingOrOffset));
    }

    static alloc(size, fill) {
      const buffer = new Buffer(size);
      if (fill !== undefined) {
        buffer.fill(typeof fill === 'number' ? fill : bytesOf(String(fill))[0] || 0);
      }
      return buffer;
    }

    static isBuffer(value) {
      return value instanceof Buffer;
    }

    static byteLength(value, encoding) {
      return typeof value === 'string' ? bytesOf(value, encoding).length : value.length;
    }

    static concat(list, totalLength) {
      const length = totalLength === undefined
        ? list.reduce((sum, item) => sum + item.length, 0) : totalLength;
      const result = new Buffer(length);
      let offset = 0;
      for (const item of list) {
        if (offset >= length) {
          break;
        }
        result.set(item.subarray(0, length - offset), offset);
        offset += item.length;
      }
      return result;
    }

    toString(encoding, start, end) {
      const from = start === undefined ? 0 : start;
      const to = end === undefined ? this.length : Math.min(end, this.length);
      const name = String(encoding || 'utf8').toLowerCase();
      if (name === 'base64') {
        return base64Text(this, from, to);
      }
      if (name === 'hex') {
        let text = '';
        for (let i = from; i < to; i++) {
          text += (this[i] < 16 ? '0' : '') + this[i].toString(16);
        }
        return text;
      }
      if (name === 'ascii' || name === 'latin1' || name === 'binary') {
        let text = '';
        for (let i = from; i < to; i++) {
          text += String.fromCharCode(name === 'ascii' ? this[i] & 127 : this[i]);
        }
        return text;
      }
      return utf8Text(this, from, to);
    }

    toJSON() {
      return { type: 'Buffer', data: Array.from(this) };
    }

    equals(other) {
      return this.length === other.length && this.every((byte, i) => byte === other[i]);
    }

    slice(start, end) {
      // Node's slice shares memory, as subarray does.
      return this.subarray(start, end);
    }

    indexOf(value, offset, encoding) {
      const needle = typeof value === 'number' ? [value & 255] : bytesOf(value, encoding);
      const begin = offset === undefined ? 0 : offset < 0 ? Math.max(0, this.length + offset) : offset;
      for (let i = begin; i + needle.length <= this.length; i++) {
        let found = true;
        for (let j = 0; j < needle.length && found; j++) {
          found = this[i + j] === needle[j];
        }
        if (found) {
          return i;
        }
      }
      return -1;
    }

    includes(value, offset, encoding) {
      return this.indexOf(value, offset, encoding) >= 0;
    }

    view() {
      return new DataView(this.buffer, this.byteOffset, this.byteLength);
    }

    readUInt8(offset = 0) { return this.view().getUint8(offset); }
    readInt8(offset = 0) { return this.view().getInt8(offset); }
    readUInt16BE(offset = 0) { return this.view().getUint16(offset); }
    readUInt16LE(offset = 0) { return this.view().getUint16(offset, true); }
    readInt16BE(offset = 0) { return this.view().getInt16(offset); }
    readInt16LE(offset = 0) { return this.view().getInt16(offset, true); }
    readUInt32BE(offset = 0) { return this.view().getUint32(offset); }
    readUInt32LE(offset = 0) { return this.view().getUint32(offset, true); }
    readInt32BE(offset = 0) { return this.view().getInt32(offset); }
    readInt32LE(offset = 0) { return this.view().getInt32(offset, true); }
    readFloatBE(offset = 0) { return this.view().getFloat32(offset); }
    readFloatLE(offset = 0) { return this.view().getFloat32(offset, true); }
    readDoubleBE(offset = 0) { return this.view().getFloat64(offset); }
    readDoubleLE(offset = 0) { return this.view().getFloat64(offset, true); }
    writeUInt8(value, offset = 0) { this.view().setUint8(offset, value); return offset + 1; }
    writeUInt16BE(value, offset = 0) { this.view().setUint16(offset, value); return offset + 2; }
    writeInt32BE(value, offset = 0) { this.view().setInt32(offset, value); return offset + 4; }
    writeUInt32BE(value, offset = 0) { this.view().setUint32(offset, value); return offset + 4; }
  }
  Buffer.prototype.readUint8 = Buffer.prototype.readUInt8;
  Buffer.prototype.readUint16BE = Buffer.prototype.readUInt16BE;
  Buffer.prototype.readUint32BE = Buffer.prototype.readUInt32BE;
  globalThis.Buffer = Buffer;

  // --- Mountebank's calls ----------------------------------------------------------------------
  const imposterState = {};
  // Mountebank 2.9.1 still passes its older, deprecated state object to response injection.
  const injectState = {};

  // Mountebank copies the request's fields onto config for the old interface (http and tcp).
  function downcast(config) {
    if (config.request.method || config.request.data) {
      Object.keys(config.request).forEach(key => {
        config[key] = config.request[key];
      });
    }
  }

  function toJson(value) {
    return JSON.stringify(value === undefined ? null : value);
  }

  return Object.freeze({
    predicate(fn, requestJson) {
      const config = { request: JSON.parse(requestJson), state: imposterState, logger };
      downcast(config);
      return Boolean(fn(config, logger, imposterState));
    },

    respond(fn, requestJson, id) {
      let settled = false;
      const settle = value => {
        if (!settled) {
          settled = true;
          const thenable = value !== null && (typeof value === 'object' || typeof value === 'function')
            && typeof value.then === 'function';
          if (!thenable) {
            // What a promise would resolve to, without a trip through the job queue.
            hostSettled(id, toJson(value));
            return;
          }
          Promise.resolve(value).then(
            answer => hostSettled(id, toJson(answer)),
            error => hostSettled(id, error instanceof Error ? error.name : 'Error',
              error instanceof Error ? error.message : String(error)));
        }
      };
      const config = { request: JSON.parse(requestJson), state: imposterState, logger,
        callback: settle };
      downcast(config);
      const response = fn(config, injectState, logger, settle, imposterState);
      if (response !== undefined) {
        settle(response);
      }
    },

    decorate(fn, requestJson, responseJson) {
      const response = JSON.parse(responseJson);
      const config = { request: JSON.parse(requestJson), response, logger, state: imposterState };
      downcast(config);
      const result = fn(config, response, logger);
      return toJson(result ? result : response);
    },

    generate(fn, requestJson) {
      // Mountebank spreads the result into its predicates: it must be iterable.
      return toJson([...fn({ request: JSON.parse(requestJson), logger })]);
    },

    wait(fn) {
      return Number(fn());
    },

    endOfRequest(fn, data, binary) {
      return Boolean(fn(binary ? Buffer.from(data, 'base64') : data, logger));
    }
  });
})
