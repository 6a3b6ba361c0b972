/** A suspect as submitted; `idNumber` is masked for everyone but the two parties of the transfer. */
export interface Suspect {
  kind: 'person' | 'organization';
  name: string;
  idNumber?: string;
}
