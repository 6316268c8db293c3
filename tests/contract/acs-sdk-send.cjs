// Contract oracle: makes the official ACS JS SDKs send requests to a local capture server, so the C# contract tests
// can compare what the SDKs send with what our REST clients send. Not production code; never talks to Azure.
//
// Usage: node tests/contract/acs-sdk-send.cjs '<json>'
//   { "endpoint": "http://127.0.0.1:PORT", "accessKey": "<base64>", "now": "2026-01-02T03:04:05Z",
//     "marker": true, "scenarios": [ { "kind": "email" | "emailStatus" | "sms" | "createCall" | "play" | "terminate" | "vector", ... } ] }
// Prints one JSON line per scenario: { "kind": ..., "ok": true, ... } ("vector" adds the signed headers).
// With "marker", each scenario is preceded by our own GET {endpoint}/__scenario/{name} (plain fetch, not an SDK
// request), so the capture server can tell which SDK requests belong to which scenario.
"use strict";

const input = JSON.parse(process.argv[2] ?? "{}");

// The SDKs stamp x-ms-date and repeatability times from the wall clock; freezing it lets the C# side use the same
// instant (FakeTimeProvider) and compare times and signatures exactly. Done before the SDKs load.
if (input.now) {
  const frozen = Date.parse(input.now);
  const RealDate = Date;
  class FrozenDate extends RealDate {
    constructor(...args) {
      super(...(args.length === 0 ? [frozen] : args));
    }

    static now() {
      return frozen;
    }
  }
  globalThis.Date = FrozenDate;
}

const { AzureKeyCredential } = require("@azure/core-auth");
const { createCommunicationAuthPolicy } = require("@azure/communication-common");
const { createPipelineRequest, createHttpHeaders } = require("@azure/core-rest-pipeline");
const { EmailClient } = require("@azure/communication-email");
const { SmsClient } = require("@azure/communication-sms");
const { CallAutomationClient, CallConnection } = require("@azure/communication-call-automation");

const connectionString = `endpoint=${input.endpoint};accesskey=${input.accessKey}`;
// The capture server answers at once; retries would only add noise to what it records.
// The capture server is plain HTTP on loopback.
const clientOptions = { retryOptions: { maxRetries: 0 }, allowInsecureConnection: true };

async function run(s) {
  switch (s.kind) {
    case "email": {
      const client = new EmailClient(connectionString, clientOptions);
      const message = {
        senderAddress: s.senderAddress,
        content: { subject: s.subject, plainText: s.plainText, html: s.html },
        recipients: { to: [{ address: s.to, displayName: s.toName }] },
        // The SDK model calls it disableUserEngagementTracking; on the wire it is userEngagementTrackingDisabled.
        disableUserEngagementTracking: s.userEngagementTrackingDisabled,
      };
      // The first poll is the send itself; the poller is not driven further.
      await client.beginSend(message, { operationId: s.operationId });
      return {};
    }
    case "emailStatus": {
      const client = new EmailClient(connectionString, clientOptions);
      // The public client only polls through its poller; the status call is the poller's GET on the operation.
      const poller = await client.beginSend(
        { senderAddress: s.senderAddress, content: { subject: "x", plainText: "x" }, recipients: { to: [{ address: s.to }] } },
        { operationId: s.operationId, updateIntervalInMs: 1 });
      await poller.poll();
      return {};
    }
    case "sms": {
      const client = new SmsClient(connectionString, clientOptions);
      await client.send({ from: s.from, to: [s.to], message: s.message }, { enableDeliveryReport: s.enableDeliveryReport ?? false });
      return {};
    }
    case "createCall": {
      const client = new CallAutomationClient(connectionString, clientOptions);
      await client.createCall(
        { targetParticipant: { phoneNumber: s.to }, sourceCallIdNumber: { phoneNumber: s.from } },
        s.callbackUri,
        { operationContext: s.operationContext, callIntelligenceOptions: { cognitiveServicesEndpoint: s.cognitiveServicesEndpoint } });
      return {};
    }
    case "play": {
      const client = new CallAutomationClient(connectionString, clientOptions);
      const media = client.getCallConnection(s.callConnectionId).getCallMedia();
      await media.playToAll([{ kind: "textSource", text: s.text, voiceName: s.voiceName }], { operationContext: s.operationContext });
      return {};
    }
    case "terminate": {
      const client = new CallAutomationClient(connectionString, clientOptions);
      await client.getCallConnection(s.callConnectionId).hangUp(true);
      return {};
    }
    case "vector": {
      // Signs one fixed request with the SDKs' own HMAC policy and reports the headers it set, without sending.
      const policy = createCommunicationAuthPolicy(new AzureKeyCredential(input.accessKey));
      const request = createPipelineRequest({ url: s.url, method: s.method, headers: createHttpHeaders(), body: s.body });
      let signed;
      await policy.sendRequest(request, async (r) => {
        signed = r;
        return { request: r, status: 200, headers: createHttpHeaders() };
      });
      return {
        authorization: signed.headers.get("authorization"),
        date: signed.headers.get("x-ms-date"),
        contentSha256: signed.headers.get("x-ms-content-sha256"),
        host: signed.headers.get("host"),
      };
    }
    default:
      throw new Error(`unknown scenario ${s.kind}`);
  }
}

(async () => {
  for (const s of input.scenarios ?? []) {
    try {
      if (input.marker && s.kind !== "vector") {
        await fetch(`${input.endpoint.replace(/\/$/, "")}/__scenario/${encodeURIComponent(s.name ?? s.kind)}`);
      }

      const result = await run(s);
      process.stdout.write(JSON.stringify({ kind: s.kind, ok: true, ...result }) + "\n");
    } catch (e) {
      // Answers the capture server makes up may not satisfy every SDK parser; the request was still recorded.
      process.stdout.write(JSON.stringify({ kind: s.kind, ok: false, error: String(e && e.message || e) }) + "\n");
    }
  }
})();
