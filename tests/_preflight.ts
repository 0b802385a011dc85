// Copyright 2025 the pysocket authors. MIT license.
// Run by `deno task test` before the tests: python3 is their oracle and
// peer, so without it the run stops here with one clear line instead of
// failing test after test with "Failed to spawn".

try {
  const { success } = await new Deno.Command("python3", {
    args: ["-c", "import socket"],
    stdout: "null",
    stderr: "null",
  }).output();
  if (!success) throw new Error("python3 cannot import socket");
} catch {
  console.error("pysocket tests need python3 on PATH");
  Deno.exit(1);
}
