import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Small shared key/value facts that every instance must agree on (for example
 * "the first admin token was issued"), kept in the database so instances stay stateless.
 */
@Entity({ name: 'server_state' })
export class ServerStateEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  key: string;

  @Column({ type: 'text' })
  value: string;
}
