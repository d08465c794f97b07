import { ApiError } from '../../http/errors.ts';
import type { Query, TypedValue } from '../../query/model.ts';
import { compileSelect, type CompiledQuery } from '../../query/sql.ts';
import type { Tenant } from '../../tenants/tenants.ts';
import type { Cell, Page, Warehouse } from '../types.ts';
import { CREDENTIALS_SECRET, sharedTokenSource, type TokenSource } from './auth.ts';
import { BigQueryClient, type BigQueryClientOptions, type QuerySpec, type ResultPage } from './client.ts';
import { bigQueryDialect, bigQuerySource } from './dialect.ts';
import { columnDecoders, RowFormatError, rowCells, type ColumnDecoder } from './rows.ts';

/** Where a tenant's ActivConnect views live in BigQuery, and what a query may cost. */
export interface BigQueryTenantConfig {
  readonly project: string;
  readonly dataset: string;
  readonly location: string | null;
  /** Passed as maximumBytesBilled; null leaves BigQuery's project default. */
  readonly maxBytesBilled: number | null;
}

/**
 * The BigQuery settings of a tenant record, checked before any query is built: a tenant
 * without a project, or with ids that are not BigQuery identifiers, is a configuration
 * problem to report, not SQL to send.
 */
export function bigQueryConfig(tenant: Tenant): BigQueryTenantConfig {
  const misconfigured = (what: string) =>
    new ApiError(
      503,
      'warehouse-unavailable',
      `This account is set up for BigQuery but ${what}. An administrator should fix the account's BigQuery settings.`,
    );
  if (!tenant.bqProject) throw misconfigured('has no BigQuery project');
  try {
    bigQuerySource(tenant.bqProject, tenant.dataset);
  } catch {
    throw misconfigured(`its project '${tenant.bqProject.slice(0, 40)}' or dataset '${tenant.dataset}' is not a valid BigQuery id`);
  }
  if (tenant.bqLocation !== null && !/^[A-Za-z0-9-]{2,40}$/.test(tenant.bqLocation))
    throw misconfigured('its location is not a BigQuery location');
  return {
    project: tenant.bqProject,
    dataset: tenant.dataset,
    location: tenant.bqLocation,
    maxBytesBilled: tenant.maxBytesBilled !== null && tenant.maxBytesBilled > 0 ? tenant.maxBytesBilled : null,
  };
}

/** A tenant's ActivConnect dataset in BigQuery, reached through the REST API with a service account. */
export class BigQueryWarehouse implements Warehouse {
  readonly kind = 'bigquery' as const;
  private readonly client_: BigQueryClient;
  // A plain field, not a parameter property: the bench runs this file in Node with type stripping only.
  private readonly config: BigQueryTenantConfig;

  constructor(config: BigQueryTenantConfig, tokens: TokenSource, options: BigQueryClientOptions = {}) {
    this.config = config;
    this.client_ = new BigQueryClient(tokens, options);
  }

  async page(query: Query, limit: number): Promise<Page> {
    const rows: Cell[][] = [];
    const keys: (TypedValue | null)[][] = [];
    for await (const page of this.pages(query, limit)) {
      for (const row of page.rows) rows.push(row);
      for (const key of page.keys) keys.push(key);
    }
    return { rows, keys };
  }

  /** One job for the whole result, decoded page by page as BigQuery's pages arrive (fetched ahead). */
  async *pages(query: Query, limit: number): AsyncGenerator<Page> {
    const outputs = query.output.length;
    const compiled = this.compiled_(query, limit);
    const { width, keyColumns } = compiled;
    const outputTypes = query.output.map((o) => o.type);
    const keyTypes = query.order.map((term) => term.item.type);
    // Every page of one job shares its schema: the column decoders are chosen once for it. An
    // order key reads the output column that already returns it, or its own column past them.
    let decode: ColumnDecoder[] = [];
    let decodeKey: ColumnDecoder[] = [];
    let decodes: ResultPage | null = null;
    for await (const result of this.client_.pages(this.spec_(compiled))) {
      if (result.schema.fields.length !== width) throw shapeError(`${result.schema.fields.length} columns, expected ${width}`);
      if (result.schema !== decodes?.schema || result.timestamps !== decodes.timestamps) {
        decode = columnDecoders({ ...result.schema, fields: result.schema.fields.slice(0, outputs) }, outputTypes, result.timestamps);
        decodeKey = columnDecoders(
          { ...result.schema, fields: keyColumns.map((c) => result.schema.fields[c]!) },
          keyTypes,
          result.timestamps,
        );
        decodes = result;
      }
      const rows: Cell[][] = new Array<Cell[]>(result.rows.length);
      const keys: (TypedValue | null)[][] = new Array<(TypedValue | null)[]>(result.rows.length);
      try {
        for (let r = 0; r < result.rows.length; r++) {
          const cells = rowCells(result.rows[r]!);
          const row: Cell[] = new Array<Cell>(outputs);
          for (let i = 0; i < outputs; i++) row[i] = decode[i]!(cells[i]?.v ?? null);
          const key: Cell[] = new Array<Cell>(keyColumns.length);
          for (let i = 0; i < keyColumns.length; i++) key[i] = decodeKey[i]!(cells[keyColumns[i]!]?.v ?? null);
          rows[r] = row;
          keys[r] = key;
        }
      } catch (err) {
        if (err instanceof RowFormatError) throw shapeError(err.message);
        throw err;
      }
      yield { rows, keys };
    }
  }

  async dryRun(query: Query): Promise<{ bytesProcessed: number | null }> {
    const { totalBytesProcessed } = await this.client_.dryRun(this.spec_(this.compiled_(query, query.limit)));
    return { bytesProcessed: totalBytesProcessed };
  }

  private compiled_(query: Query, limit: number): CompiledQuery {
    return compileSelect(query, bigQueryDialect, bigQuerySource(this.config.project, this.config.dataset), limit);
  }

  private spec_(compiled: CompiledQuery): QuerySpec {
    return {
      sql: compiled.sql,
      params: compiled.params,
      project: this.config.project,
      dataset: this.config.dataset,
      location: this.config.location,
      maximumBytesBilled: this.config.maxBytesBilled,
    };
  }
}

function shapeError(detail: string): ApiError {
  console.error('bigquery result has an unexpected shape', detail);
  return new ApiError(
    502,
    'warehouse-error',
    'BigQuery returned data in a form this server does not expect. Try again; if it persists, tell the administrator.',
  );
}

/** The bindings the BigQuery backend reads: the service-account key, set with `wrangler secret put`. */
export interface BigQueryEnv {
  readonly GOOGLE_SERVICE_ACCOUNT_JSON?: string;
}

/**
 * The warehouse for a BigQuery tenant in a deployed Worker: the shared token source for the
 * configured key, and default client options.
 * @example if (tenant.warehouse === 'bigquery') return bigQueryWarehouseFor(env, tenant);
 */
export function bigQueryWarehouseFor(env: BigQueryEnv, tenant: Tenant, options: BigQueryClientOptions = {}): BigQueryWarehouse {
  const config = bigQueryConfig(tenant);
  if (!env.GOOGLE_SERVICE_ACCOUNT_JSON) {
    throw new ApiError(
      503,
      'warehouse-unavailable',
      `This account is set up for BigQuery, but the server has no ${CREDENTIALS_SECRET} secret. An administrator should set it to the service account's JSON key.`,
    );
  }
  return new BigQueryWarehouse(config, sharedTokenSource(env.GOOGLE_SERVICE_ACCOUNT_JSON), options);
}
