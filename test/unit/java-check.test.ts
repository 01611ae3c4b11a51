import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertJava } from '../../local/aws/dynamodb-local';

/** A PATH holding only a fake `java` that prints `versionLine` to stderr and exits 0, as the real one does. */
function fakeJava(versionLine: string): NodeJS.ProcessEnv {
  const dir = mkdtempSync(join(tmpdir(), 'dw-java-'));
  writeFileSync(join(dir, 'java'), `#!/bin/sh\necho '${versionLine}' >&2\necho 'OpenJDK Runtime Environment' >&2\nexit 0\n`);
  chmodSync(join(dir, 'java'), 0o755);
  return { PATH: dir };
}

describe('the Java check before DynamoDB Local starts', () => {
  it('refuses Java older than 17, read from stderr where java -version prints', () => {
    expect(() => assertJava(fakeJava('openjdk version "11.0.2" 2019-01-15'))).toThrow('DynamoDB Local needs Java 17 or newer; found Java 11.');
    expect(() => assertJava(fakeJava('java version "1.8.0_381"'))).toThrow('found Java 8.');
  });

  it('accepts Java 17 and newer', () => {
    expect(() => assertJava(fakeJava('openjdk version "17.0.9" 2023-10-17'))).not.toThrow();
    expect(() => assertJava(fakeJava('openjdk version "21" 2023-09-19'))).not.toThrow();
  });

  it('says how to install it when java is not on PATH', () => {
    expect(() => assertJava({ PATH: mkdtempSync(join(tmpdir(), 'dw-nojava-')) })).toThrow('DynamoDB Local needs Java 17 or newer and `java` is not on PATH.');
  });
});
