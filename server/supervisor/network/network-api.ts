/**
 * `GET/PUT /api/projects/:id/network` as an opened project answers them (project-handle.ts calls
 * these): the policy with its limits and the last calls, and replacing it. A header may only name a
 * secret (a plain variable is in the app's env already, and a typo would inject an empty value), and
 * when the secrets withheld from the app's env change, the app restarts on its version without them.
 */
import type { NewLogEntry } from "../../../shared/logs";
import { type NetworkPolicy, type NetworkResponse, policySecrets } from "../../../shared/network/policy";
import { failure, type Outcome, success } from "../../outcome";
import type { AppHost } from "../app-host/app-host";
import type { SupervisorStore } from "../versions/store";
import type { NetworkPolicies } from "./network-policy";
import type { Outbound } from "./outbound";

export interface NetworkParts {
  policies: NetworkPolicies;
  outbound: Outbound;
}

interface HandleParts {
  network: NetworkParts;
  store: SupervisorStore;
  app: AppHost;
  record(entries: NewLogEntry[]): void;
}

export function describeNetwork({ policies, outbound }: NetworkParts): NetworkResponse {
  return { allow: policies.policy.allow, ...policies.limits(), recent: outbound.recent() };
}

/** Why `policy` cannot be the project's (a header names no secret of it), or null. */
export function policyProblem(policy: NetworkPolicy, store: SupervisorStore): string | null {
  const vars = new Map(store.listEnv().map((v) => [v.name, v.secret]));
  for (const name of policySecrets(policy)) {
    const secret = vars.get(name);
    if (secret === undefined) return `\${${name}} names no secret of this project: set the secret ${name} first`;
    if (!secret) return `\${${name}} names a plain variable: only a secret can be injected (set ${name} as a secret)`;
  }
  return null;
}

export async function putNetwork(parts: HandleParts, policy: NetworkPolicy): Promise<Outcome<NetworkResponse>> {
  const { network, store, app, record } = parts;
  const problem = policyProblem(policy, store);
  if (problem) return failure("bad_request", problem);
  const before = [...network.policies.withheld()].sort().join(",");
  network.policies.set(policy);
  const after = [...network.policies.withheld()].sort().join(",");
  const version = store.project?.currentVersion ?? null;
  const hosts = policy.allow.map((e) => e.host).join(", ") || "none";
  if (before !== after) {
    await app.swap(version, "The app restarted because the secrets its network policy injects changed");
  }
  record([
    {
      kind: "system",
      level: "info",
      at: Date.now(),
      version,
      message: `network policy set: hosts allowed: ${hosts}${before !== after ? "; the app restarted without the injected secrets in its env" : ""}`,
    },
  ]);
  return success(describeNetwork(network));
}
