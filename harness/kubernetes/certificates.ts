/**
 * The certificates of a throwaway control plane, made with openssl: a CA, the API server's serving
 * certificate for 127.0.0.1, a client certificate in `system:masters` (the tests and the operator
 * use it), and the service-account signing key the API server requires.
 */
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { runCommand } from "../processes";

export interface Certificates {
  caCert: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  serviceAccountKey: string;
}

async function openssl(dir: string, ...args: string[]): Promise<void> {
  const result = await runCommand("openssl", args, { cwd: dir });
  if (result.code !== 0) throw new Error(`openssl ${args.join(" ")} failed:\n${result.stderr}`);
}

const EC_KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];

/** A key and a certificate for `subject`, signed by the CA in `dir`, with `extensions` (openssl x509 -extfile). */
async function signed(dir: string, name: string, subject: string, extensions: string): Promise<void> {
  writeFileSync(path.join(dir, `${name}.ext`), extensions);
  await openssl(dir, "req", ...EC_KEY, "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", subject);
  await openssl(dir, "x509", "-req", "-in", `${name}.csr`, "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2", "-out", `${name}.crt`, "-extfile", `${name}.ext`);
}

export async function makeCertificates(dir: string): Promise<Certificates> {
  await openssl(dir, "req", "-x509", ...EC_KEY, "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=websocket-monitoring-test-ca");
  await signed(dir, "server", "/CN=kube-apiserver", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
  await signed(dir, "client", "/O=system:masters/CN=websocket-monitoring-test", "extendedKeyUsage=clientAuth\n");
  await openssl(dir, "genrsa", "-out", "service-account.key", "2048");
  const file = (name: string) => path.join(dir, name);
  return {
    caCert: file("ca.crt"),
    serverCert: file("server.crt"),
    serverKey: file("server.key"),
    clientCert: file("client.crt"),
    clientKey: file("client.key"),
    serviceAccountKey: file("service-account.key"),
  };
}
