/**
 * The protobuf peers of the OTLP wire reader, for the benchmark and the fuzz target: protobufjs
 * (reflection, from the official .proto files in test/fixtures/otlp/proto) and @bufbuild/protobuf
 * (its registry built from the same definitions, via protobufjs' descriptor export).
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFileRegistry, fromBinary } from '@bufbuild/protobuf';
import { FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';
import protobuf from 'protobufjs';
import descriptor from 'protobufjs/ext/descriptor/index.js';

const protoRoot = fileURLToPath(new URL('../fixtures/otlp/proto/', import.meta.url));
const REQUEST = 'opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest';

/** protobufjs root with the OTLP metrics service loaded. */
export function loadProtobufjs() {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => join(protoRoot, target);
  root.loadSync('opentelemetry/proto/collector/metrics/v1/metrics_service.proto');
  root.resolveAll();
  return root;
}

/** `ExportMetricsServiceRequest` of protobufjs. */
export function protobufjsRequest(root = loadProtobufjs()) {
  return root.lookupType(REQUEST);
}

/** `ExportMetricsServiceRequest` of @bufbuild/protobuf (descriptor), and its decode. */
export function bufbuildRequest(root = loadProtobufjs()) {
  const set = root.toDescriptor('proto3');
  // protobufjs writes relative type names; the registry wants them fully qualified, files in dependency order
  for (const file of set.file) {
    const fix = (messages, prefix) => {
      for (const m of messages) {
        const type = root.lookupType(`${prefix}.${m.name}`);
        for (const f of m.field) {
          const resolved = type.fieldsById[f.number]?.resolvedType;
          if (resolved) f.typeName = resolved.fullName;
        }
        fix(m.nestedType, `${prefix}.${m.name}`);
      }
    };
    fix(file.messageType, file.package);
  }
  const rank = (pkg) => (pkg.includes('collector') ? 3 : pkg.includes('metrics') ? 2 : pkg.includes('resource') ? 1 : 0);
  set.file.sort((a, b) => rank(a.package) - rank(b.package));
  const registry = createFileRegistry(fromBinary(FileDescriptorSetSchema, descriptor.FileDescriptorSet.encode(set).finish()));
  const schema = registry.getMessage(REQUEST);
  return { schema, decode: (bytes) => fromBinary(schema, bytes) };
}
