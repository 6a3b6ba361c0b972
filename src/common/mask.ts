/** 91330100MA2XXXXX12 → 9133************12: keeps the first four and last two characters. */
export function maskIdNumber(id: string): string {
  if (id.length <= 6) return '*'.repeat(id.length);
  return id.slice(0, 4) + '*'.repeat(id.length - 6) + id.slice(-2);
}
