'use strict';
// Charlatan's bridge to a Mountebank imposters repository module (--impostersRepository).
// Run as: node -e <this script> <absolute module path> <config JSON>
// Reads one JSON call a line on stdin ({id, op, ...}) and answers each on stdout as one line,
// {id, ok} or {id, error}; the module's logger lines go out as {log, message}. Calls run
// concurrently, as Mountebank's requests do; the server waits for the answer of each.

const modulePath = process.argv[1],
    config = JSON.parse(process.argv[2]),
    readline = require('readline');

function send (message) {
    process.stdout.write(JSON.stringify(message) + '\n');
}

function text (value) {
    return typeof value === 'string' ? value : JSON.stringify(value);
}

const logger = {};
['debug', 'info', 'warn', 'error'].forEach(level => {
    logger[level] = (...args) => send({ log: level, message: args.map(text).join(' ') });
});

// What a repository's imposter is in Mountebank: its JSON plus functions. The server runs the
// imposter itself, so these functions answer what the repository may ask of them.
let loaded = [];
function imposterFor (creationRequest) {
    return {
        port: creationRequest.port,
        protocol: creationRequest.protocol,
        url: '/imposters/' + creationRequest.port,
        creationRequest,
        toJSON: async () => JSON.parse(JSON.stringify(creationRequest)),
        stop: async () => {},
        resetRequests: async () => {},
        getResponseFor: async () => ({ is: {} }),
        getProxyResponseFor: async () => ({ is: {} })
    };
}

const protocols = {};
['http', 'https', 'tcp', 'smtp'].forEach(name => {
    protocols[name] = {
        createImposterFrom: async creationRequest => {
            loaded.push(JSON.parse(JSON.stringify(creationRequest)));
            return imposterFor(creationRequest);
        }
    };
});

let repository;
try {
    const module = require(modulePath);
    if (typeof module.create !== 'function') {
        throw new TypeError('require(...).create is not a function');
    }
    repository = module.create(config, logger);
}
catch (e) {
    // As Mountebank: the error is logged and the repository is an empty object.
    logger.error(`An error occured while creating custom impostersRepository:\n ${e}`);
    repository = {};
}

function call (name) {
    if (!repository || typeof repository[name] !== 'function') {
        throw new TypeError(`imposters.${name} is not a function`);
    }
    return (...args) => repository[name](...args);
}

function stubsFor (port) {
    return call('stubsFor')(port);
}

// The stub at an index, as the repository's first() gives it: the server matched the
// predicates already (it keeps the same stubs), so the filter picks the index-th stub offered.
async function stubAt (stubs, index) {
    let offered = 0;
    return stubs.first(() => {
        offered += 1;
        return offered - 1 === index;
    });
}

function plain (value) {
    return value === undefined ? null : JSON.parse(JSON.stringify(value));
}

const ops = {
    loadAll: async () => {
        loaded = [];
        await call('loadAll')(protocols);
        return loaded;
    },
    add: async message => {
        await call('add')(imposterFor(message.imposter));
        return null;
    },
    del: async message => {
        await call('del')(message.port);
        return null;
    },
    deleteAll: async () => {
        await call('deleteAll')();
        return null;
    },
    stubs: async message => plain(await stubsFor(message.port).toJSON({ debug: message.debug })),
    requests: async message => plain(await stubsFor(message.port).loadRequests()),
    deleteSavedRequests: async message => {
        await stubsFor(message.port).deleteSavedRequests();
        return null;
    },
    deleteSavedProxyResponses: async message => {
        await stubsFor(message.port).deleteSavedProxyResponses();
        return null;
    },
    serve: async message => {
        const stubs = stubsFor(message.port);
        if (message.request) {
            await stubs.addRequest(message.request);
        }
        const match = message.index < 0 ? await stubs.first(() => false) : await stubAt(stubs, message.index),
            response = await match.stub.nextResponse();
        if (message.debug && match.success && typeof match.stub.recordMatch === 'function') {
            await match.stub.recordMatch(message.request, response.is, plain(response), 0);
        }
        return { matched: Boolean(match.success), response: plain(response) };
    },
    stubOps: async message => {
        const stubs = stubsFor(message.port);
        for (const change of message.ops) {
            if (change.op === 'addResponse') {
                const match = await stubAt(stubs, change.index);
                await match.stub.addResponse(change.response);
            }
            else if (change.op === 'overwriteAll') {
                await stubs.overwriteAll(change.stubs);
            }
            else if (change.op === 'add') {
                await stubs.add(change.stub);
            }
            else if (change.op === 'deleteAtIndex') {
                await stubs.deleteAtIndex(change.index);
            }
            else {
                await stubs[change.op](change.stub, change.index);
            }
        }
        return null;
    },
    stopAllSync: async () => {
        call('stopAllSync')();
        return null;
    }
};

const input = readline.createInterface({ input: process.stdin });
input.on('line', line => {
    let message;
    try {
        message = JSON.parse(line);
    }
    catch (e) {
        send({ log: 'error', message: `bridge: not a JSON call: ${line}` });
        return;
    }
    Promise.resolve()
        .then(() => ops[message.op](message))
        .then(ok => send({ id: message.id, ok: ok === undefined ? null : ok }),
            e => send({ id: message.id, error: String(e && e.stack ? `${e.name}: ${e.message}` : e) }));
});
// Ends when the server closes stdin (or ends itself): a signal to the process group (Ctrl-C, a
// SIGTERM to the server and its children) leaves the server time to call stopAllSync first.
input.on('close', () => process.exit(0));
['SIGINT', 'SIGTERM', 'SIGHUP'].forEach(signal => process.on(signal, () => {}));
send({ ready: true });
