/**
 * Which process runs an import job, so a job whose process died is seen as interrupted at once
 * rather than after minutes without a heartbeat: the job records the host, the process
 * id and a random id of the process's life. On the same host, a job whose process is gone (or
 * whose pid now belongs to another life of the server, as with pid 1 in a restarted container) was
 * interrupted. Jobs of other hosts are judged by their heartbeat only.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

export interface JobOwner {
	host: string;
	pid: number;
	life: string;
}

const LIFE = randomUUID();

export function currentOwner(): JobOwner {
	return { host: hostname(), pid: process.pid, life: LIFE };
}

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return (e as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** True when `owner` is known to be dead; false when alive or unknown (another host, old job). */
export function ownerDead(owner: Partial<JobOwner> | undefined, me: JobOwner = currentOwner()): boolean {
	if (!owner || typeof owner.pid !== 'number' || owner.host !== me.host) return false;
	if (owner.pid === me.pid) return owner.life !== me.life;
	return !alive(owner.pid);
}
