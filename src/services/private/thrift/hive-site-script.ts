/** A Hive setting written from an environment variable. */
export interface HiveSiteEntry {
  /** The Hive configuration key. */
  readonly key: string;
  /** The environment variable holding the value. */
  readonly env: string;
}

const KEY = /^[A-Za-z][\w.-]*$/;
const ENV = /^[A-Z_][A-Z0-9_]*$/;
const PATH = /^(\/[\w.-]+)+$/;

/** The environment variable a secret Hive setting is passed in: `HIVE_SITE_` and the key in upper case. */
export function hiveSiteEnvName(key: string): string {
  return `HIVE_SITE_${key.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/**
 * A bash script that writes `<file>` as a Hadoop configuration file holding
 * `entries`, each value read from its environment variable and escaped for
 * XML. The file is written with mode 0600 and moved into place whole.
 */
export function hiveSiteScript(file: string, entries: HiveSiteEntry[]): string {
  if (!PATH.test(file)) {
    throw new Error(`hiveSiteScript: invalid file ${JSON.stringify(file)}`);
  }
  for (const e of entries) {
    if (!KEY.test(e.key) || !ENV.test(e.env)) {
      throw new Error(`hiveSiteScript: invalid entry ${JSON.stringify(e)}`);
    }
  }
  return [
    '#!/usr/bin/env bash',
    '# Writes the Hive settings whose values come from Secrets into a',
    '# hive-site.xml on the Thrift server\'s class path, so that they appear in',
    '# neither a manifest nor a command line.',
    'set -euo pipefail',
    'umask 077',
    '',
    `out=${file}`,
    '',
    '# Prints a value escaped for XML element text.',
    'xml_text() {',
    '  local value=$1',
    '  value=${value//\'&\'/\'&amp;\'}',
    '  value=${value//\'<\'/\'&lt;\'}',
    '  value=${value//\'>\'/\'&gt;\'}',
    '  printf \'%s\' "$value"',
    '}',
    '',
    '# property NAME VALUE',
    'property() {',
    '  printf \'  <property>\\n    <name>%s</name>\\n    <value>\' "$1"',
    '  xml_text "$2"',
    '  printf \'</value>\\n  </property>\\n\'',
    '}',
    '',
    '{',
    '  printf \'<?xml version="1.0" encoding="UTF-8"?>\\n<configuration>\\n\'',
    ...entries.map((e) => `  property '${e.key}' "\${${e.env}}"`),
    '  printf \'</configuration>\\n\'',
    '} >"${out}.tmp"',
    'mv "${out}.tmp" "$out"',
    '',
  ].join('\n');
}
