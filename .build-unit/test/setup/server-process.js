import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
const MAIN = fileURLToPath(new URL('../../src/main.js', import.meta.url));
export function freePort() {
    return new Promise((resolve, reject) => {
        const server = createServer();
        server.listen(0, '127.0.0.1', () => {
            const address = server.address();
            const port = typeof address === 'object' && address ? address.port : 0;
            server.close(() => resolve(port));
        });
        server.on('error', reject);
    });
}
async function waitHealthy(url, child, output, timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
        if (child.exitCode !== null)
            throw new Error(`server exited with ${child.exitCode}:\n${output()}`);
        try {
            const res = await fetch(`${url}/health`);
            if (res.status === 200)
                return;
        }
        catch {
            // not listening yet
        }
        await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`server at ${url} not healthy after ${timeoutMs} ms:\n${output()}`);
}
/** Starts the built server (node dist-test/src/main.js) as a real separate process. */
export async function startServerProcess(env) {
    const port = await freePort();
    let log = '';
    const child = spawn(process.execPath, [MAIN], {
        env: { PATH: process.env['PATH'] ?? '', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d) => (log += d.toString()));
    child.stderr?.on('data', (d) => (log += d.toString()));
    const url = `http://127.0.0.1:${port}`;
    const output = () => log;
    await waitHealthy(url, child, output, 30_000);
    const stopAndWait = () => new Promise((resolve) => {
        if (child.exitCode !== null)
            return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill('SIGTERM');
    });
    return {
        url,
        output,
        stop: async () => {
            await stopAndWait();
        },
        stopAndWait,
    };
}
//# sourceMappingURL=server-process.js.map