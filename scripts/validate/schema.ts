/** The slice of `terraform providers schema -json` the mock generator needs. */

export interface AttributeSchema {
  type?: unknown;
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
}

/** Top-level attributes per resource type and per data source type, for every provider. */
export interface ProviderSchemas {
  resources: Map<string, Record<string, AttributeSchema>>;
  dataSources: Map<string, Record<string, AttributeSchema>>;
}

interface RawSchemas {
  provider_schemas?: Record<
    string,
    {
      resource_schemas?: Record<string, { block: { attributes?: Record<string, AttributeSchema> } }>;
      data_source_schemas?: Record<string, { block: { attributes?: Record<string, AttributeSchema> } }>;
    }
  >;
}

export function parseProviderSchemas(text: string): ProviderSchemas {
  const raw = JSON.parse(text) as RawSchemas;
  const resources = new Map<string, Record<string, AttributeSchema>>();
  const dataSources = new Map<string, Record<string, AttributeSchema>>();
  for (const provider of Object.values(raw.provider_schemas ?? {})) {
    for (const [type, s] of Object.entries(provider.resource_schemas ?? {})) resources.set(type, s.block.attributes ?? {});
    for (const [type, s] of Object.entries(provider.data_source_schemas ?? {})) dataSources.set(type, s.block.attributes ?? {});
  }
  return { resources, dataSources };
}

/** A computed attribute the configuration cannot set (or leaves unset): what a mock fills in. */
export function isComputed(a: AttributeSchema | undefined): boolean {
  return !!a?.computed && !a.required;
}
