/**
 * The FBA reports the audit reads, recognised by their header row (never by file name: Seller Central names
 * downloads by number). Header names are compared after `normaliseHeader`, so "Reference ID",
 * "reference-id" and "REFERENCE_ID" are the same column.
 */

export const REPORT_TYPES = [
  'inventory_ledger',
  'reimbursements',
  'customer_returns',
  'removal_order_detail',
  'removal_shipment_detail',
  'settlement',
  'fee_preview',
  'inbound_shipment_items',
  'replacements',
  'seller_costs',
] as const;
export type ReportType = (typeof REPORT_TYPES)[number];

/** How the audit summary names each report to a seller ("upload the removal shipment detail report…"). */
export const REPORT_LABELS: Readonly<Record<ReportType, string>> = {
  inventory_ledger: 'inventory ledger (detailed view)',
  reimbursements: 'reimbursements',
  customer_returns: 'FBA customer returns',
  removal_order_detail: 'removal order detail',
  removal_shipment_detail: 'removal shipment detail',
  settlement: 'settlement',
  fee_preview: 'fee preview',
  inbound_shipment_items: 'inbound shipment items',
  replacements: 'FBA replacements',
  seller_costs: 'seller cost sheet',
};

/** Lower-case, drop spaces, dashes, underscores, quotes and a stray BOM: "Reference ID" → "referenceid". */
export function normaliseHeader(name: string): string {
  return name.replace(/^\uFEFF/, '').toLowerCase().replace(/[\s\-_"'.()]/g, '');
}

interface ReportSpec {
  type: ReportType;
  /** Columns whose joint presence identifies the report. */
  signature: readonly string[];
  /** Columns the audit cannot do without; alternatives are written "a|b". */
  required: readonly string[];
  /** Columns read when present. */
  optional: readonly string[];
}

export const REPORT_SPECS: readonly ReportSpec[] = [
  {
    type: 'inventory_ledger',
    signature: ['eventtype', 'referenceid', 'fnsku'],
    required: ['date', 'fnsku', 'msku', 'eventtype', 'referenceid', 'quantity', 'reason'],
    optional: ['asin', 'country'],
  },
  {
    type: 'reimbursements',
    signature: ['reimbursementid', 'approvaldate'],
    required: [
      'approvaldate',
      'reimbursementid',
      'reason',
      'sku',
      'fnsku',
      'currencyunit',
      'amountperunit',
      'amounttotal',
      'quantityreimbursedcash',
      'quantityreimbursedinventory',
      'quantityreimbursedtotal',
    ],
    optional: ['caseid', 'amazonorderid', 'asin', 'originalreimbursementid', 'originalreimbursementtype'],
  },
  {
    type: 'customer_returns',
    signature: ['returndate', 'orderid', 'detaileddisposition'],
    required: ['returndate', 'orderid', 'sku', 'fnsku', 'quantity', 'detaileddisposition'],
    optional: ['asin', 'status', 'licenseplatenumber', 'fulfillmentcenterid', 'reason'],
  },
  {
    type: 'removal_order_detail',
    signature: ['orderid', 'ordertype', 'requestedquantity'],
    required: ['requestdate', 'orderid', 'ordertype', 'orderstatus', 'lastupdateddate', 'sku', 'fnsku', 'requestedquantity'],
    optional: ['disposition', 'cancelledquantity', 'disposedquantity', 'shippedquantity', 'inprocessquantity'],
  },
  {
    type: 'removal_shipment_detail',
    signature: ['orderid', 'shipmentdate', 'trackingnumber'],
    required: ['orderid', 'shipmentdate', 'sku', 'fnsku', 'shippedquantity'],
    optional: ['requestdate', 'removalordertype', 'disposition', 'carrier', 'trackingnumber'],
  },
  {
    type: 'settlement',
    signature: ['settlementid', 'transactiontype', 'orderid'],
    // V2 flat file: amount-type / amount-description / amount; the older flat file: price-type / item-related-fee-type.
    required: ['settlementid', 'transactiontype', 'orderid', 'sku', 'posteddate|posteddatetime', 'amountdescription|pricetype'],
    optional: [
      'currency',
      'marketplacename',
      'quantitypurchased',
      'amounttype',
      'amount',
      'priceamount',
      'itemrelatedfeetype',
      'itemrelatedfeeamount',
      'adjustmentid',
    ],
  },
  {
    type: 'fee_preview',
    signature: ['sku', 'productsizetier', 'estimatedfeetotal'],
    required: ['sku', 'currency', 'expectedfulfillmentfeeperunit|expecteddomesticfulfilmentfeeperunit'],
    optional: [
      'fnsku', 'asin', 'yourprice', 'salesprice', 'estimatedfeetotal', 'estimatedreferralfeeperunit',
      // The size tier Amazon charges by and the measurements it took (fee_overcharge, size_tier_overcharge).
      'productsizetier|productsizeweightband', 'longestside', 'medianside', 'shortestside', 'unitofdimension', 'itempackageweight', 'unitofweight',
    ],
  },
  {
    type: 'inbound_shipment_items',
    signature: ['shipmentid', 'quantityshipped', 'quantityreceived'],
    // Seller Central's shipment items download, or the FBA Inbound API's field names (DeliveredDate, SellerSKU,
    // FulfillmentNetworkSKU). The delivery date is what the claim window runs from; else the last update.
    required: ['shipmentid', 'shipmentstatus', 'delivereddate|lastupdateddate', 'sku|sellersku', 'fnsku|fulfillmentnetworksku', 'quantityshipped', 'quantityreceived'],
    optional: ['asin', 'createddate', 'shipmentname'],
  },
  {
    // GET_FBA_FULFILLMENT_CUSTOMER_SHIPMENT_REPLACEMENT_DATA
    type: 'replacements',
    signature: ['replacementamazonorderid', 'originalamazonorderid'],
    required: ['shipmentdate', 'sku', 'quantity', 'replacementamazonorderid', 'originalamazonorderid'],
    optional: ['asin', 'replacementreasoncode', 'fulfillmentcenterid', 'originalfulfillmentcenterid'],
  },
  {
    type: 'seller_costs',
    signature: ['sku', 'unitcost'],
    required: ['sku', 'unitcost', 'currency'],
    optional: [],
  },
];

export interface DetectedReport {
  type: ReportType;
  /** Normalised column name → index; alternatives ("a|b") resolved to the name that is present. */
  columns: ReadonlyMap<string, number>;
  missing: string[];
  fieldCount: number;
  /** Indexes of the columns the audit reads (required and optional ones present): a row must reach them all. */
  readIndexes: number[];
}

/** Identifies a report from its (raw) header cells; `undefined` for an unknown file. */
export function detectReport(headerCells: readonly string[]): DetectedReport | undefined {
  const columns = new Map<string, number>();
  headerCells.forEach((cell, index) => {
    const name = normaliseHeader(cell);
    if (name && !columns.has(name)) columns.set(name, index);
  });
  // The most specific signature wins (removal shipments also carry order-id, settlement files a sku…).
  const candidates = REPORT_SPECS.filter((spec) => spec.signature.every((c) => columns.has(c))).sort(
    (a, b) => b.signature.length - a.signature.length,
  );
  const spec = candidates[0];
  if (!spec) return undefined;
  const missing: string[] = [];
  for (const required of spec.required) {
    const alternatives = required.split('|');
    const present = alternatives.find((a) => columns.has(a));
    if (present === undefined) missing.push(alternatives.join(' or '));
    else if (alternatives.length > 1) columns.set(required, columns.get(present)!);
  }
  for (const optional of spec.optional) {
    if (!optional.includes('|')) continue;
    const present = optional.split('|').find((a) => columns.has(a));
    if (present !== undefined) columns.set(optional, columns.get(present)!);
  }
  const readIndexes = [...spec.required, ...spec.optional]
    .map((name) => columns.get(name))
    .filter((i): i is number => i !== undefined);
  return { type: spec.type, columns, missing, fieldCount: headerCells.length, readIndexes };
}
