'use strict';
// A test imposters repository with Mountebank's contract: everything it holds is written to
// repository.json after each change (so it survives a restart), and the name of each call is
// appended to repository-calls.log, both in --datadir if given, else the working directory.
const fs = require('fs'),
    path = require('path');

function copy (value) {
    return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

function create (config, logger) {
    const dir = path.resolve(config.datadir || '.'),
        file = path.join(dir, 'repository.json'),
        callLog = path.join(dir, 'repository-calls.log'),
        running = {},
        made = fs.mkdirSync(dir, { recursive: true }),
        db = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : { imposters: {} };

    logger.info(`json-file repository at ${made ? 'new ' : ''}${file} for port ${config.port}`);
    console.log('a line the module printed itself');
    console.log(JSON.stringify(['printed', 'as', 'JSON']));

    function save () {
        fs.writeFileSync(file, JSON.stringify(db, null, 2));
    }

    function called (name) {
        fs.appendFileSync(callLog, name + '\n');
    }

    function cycleOf (responses) {
        const order = [];
        responses.forEach((response, index) => {
            for (let i = 0; i < (response.repeat || 1); i += 1) {
                order.push(index);
            }
        });
        return order;
    }

    function stored (stub) {
        const responses = copy(stub.responses || []);
        return { predicates: copy(stub.predicates), responses, order: cycleOf(responses), next: 0 };
    }

    function shown (entry) {
        const stub = {};
        if (entry.predicates) {
            stub.predicates = copy(entry.predicates);
        }
        stub.responses = copy(entry.responses);
        return stub;
    }

    function stubsFor (id) {
        const key = String(id);

        function data () {
            if (!db.imposters[key]) {
                db.imposters[key] = { config: null, stubs: [], requests: [] };
            }
            return db.imposters[key];
        }

        function wrap (entry) {
            const stub = shown(entry);
            stub.addResponse = async response => {
                called('addResponse');
                entry.responses.push(copy(response));
                cycleOf([response]).forEach(() => entry.order.push(entry.responses.length - 1));
                save();
            };
            stub.nextResponse = async () => {
                called('nextResponse');
                if (entry.order.length === 0) {
                    return { is: {} };
                }
                const response = copy(entry.responses[entry.order[entry.next]]);
                entry.next = (entry.next + 1) % entry.order.length;
                save();
                return response;
            };
            stub.recordMatch = async () => {
                called('recordMatch');
            };
            return stub;
        }

        function checkIndex (index) {
            if (!data().stubs[index]) {
                const error = new Error(`no stub at index ${index}`);
                error.code = 'no such resource';
                throw error;
            }
        }

        return {
            count: () => data().stubs.length,
            first: async (filter, startIndex = 0) => {
                called('first');
                const stubs = data().stubs;
                for (let i = startIndex; i < stubs.length; i += 1) {
                    if (filter(stubs[i].predicates || [])) {
                        return { success: true, stub: wrap(stubs[i]) };
                    }
                }
                return { success: false, stub: wrap(stored({})) };
            },
            add: async stub => {
                called('add stub');
                data().stubs.push(stored(stub));
                save();
            },
            insertAtIndex: async (stub, index) => {
                called(`insertAtIndex ${index}`);
                data().stubs.splice(index, 0, stored(stub));
                save();
            },
            overwriteAll: async stubs => {
                called('overwriteAll');
                data().stubs = stubs.map(stored);
                save();
            },
            overwriteAtIndex: async (stub, index) => {
                called(`overwriteAtIndex ${index}`);
                checkIndex(index);
                data().stubs[index] = stored(stub);
                save();
            },
            deleteAtIndex: async index => {
                called(`deleteAtIndex ${index}`);
                checkIndex(index);
                data().stubs.splice(index, 1);
                save();
            },
            toJSON: async () => {
                called('toJSON');
                return data().stubs.map(shown);
            },
            deleteSavedProxyResponses: async () => {
                called('deleteSavedProxyResponses');
                data().stubs.forEach(entry => {
                    entry.responses = entry.responses.filter(r => !(r.is && typeof r.is._proxyResponseTime === 'number'));
                    entry.order = cycleOf(entry.responses);
                    entry.next = 0;
                });
                data().stubs = data().stubs.filter(entry => entry.responses.length > 0);
                save();
            },
            addRequest: async request => {
                called('addRequest');
                const recorded = copy(request);
                recorded.timestamp = new Date().toJSON();
                data().requests.push(recorded);
                save();
            },
            loadRequests: async () => {
                called('loadRequests');
                return copy(data().requests);
            },
            deleteSavedRequests: async () => {
                called('deleteSavedRequests');
                data().requests = [];
                save();
            }
        };
    }

    async function add (imposter) {
        called('add');
        const port = String(imposter.port),
            config = copy(imposter.creationRequest);
        delete config.stubs;
        delete config.requests;
        db.imposters[port] = { config, stubs: [], requests: [] };
        (imposter.creationRequest.stubs || []).forEach(stub => db.imposters[port].stubs.push(stored(stub)));
        running[port] = imposter;
        save();
        return imposter;
    }

    async function del (id) {
        called(`del ${id}`);
        const imposter = running[String(id)] || null;
        delete running[String(id)];
        delete db.imposters[String(id)];
        save();
        if (imposter) {
            await imposter.stop();
        }
        return imposter;
    }

    async function loadAll (protocols) {
        called('loadAll');
        for (const port of Object.keys(db.imposters)) {
            const config = db.imposters[port].config;
            if (!config) {
                continue;
            }
            running[port] = await protocols[config.protocol].createImposterFrom(copy(config));
        }
    }

    return {
        add,
        get: async id => running[String(id)] || null,
        all: async () => Object.values(running),
        exists: async id => Boolean(running[String(id)]),
        del,
        stopAllSync: () => {
            called('stopAllSync');
        },
        deleteAll: async () => {
            called('deleteAll');
            Object.keys(running).forEach(port => delete db.imposters[port]);
            save();
        },
        stubsFor,
        loadAll
    };
}

module.exports = { create };
