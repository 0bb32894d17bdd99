/** Reading chained receipts back, with the fields their content hash covers (queries: src/ledger/evidence.ts). */
import type { ChainedReceiptRow } from '../ledger/evidence.ts';
import type { ReceiptContent } from './canonical.ts';

/** A chained receipt as read back; it is the `ReceiptContent` its content hash covers, plus its place in the chain. */
export type ChainedReceipt = ChainedReceiptRow & ReceiptContent;

export { receiptsBetween, walkChain } from '../ledger/evidence.ts';
