'use strict';
// A repository that keeps imposters but whose stubs cannot be searched: first() rejects.
module.exports = {
    create: () => {
        const running = {};
        return {
            add: async imposter => {
                running[imposter.port] = imposter;
                return imposter;
            },
            del: async id => {
                delete running[id];
            },
            stubsFor: () => ({
                first: async () => {
                    throw new Error('the stubs are unreachable');
                },
                addRequest: async () => {}
            }),
            stopAllSync: () => {},
            loadAll: async () => {}
        };
    }
};
