import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One year of official rest days and make-up working days. */
@Entity('calendars')
export class CalendarYear {
  @PrimaryColumn('int') year: number;
  @Column('text', { array: true }) holidays: string[];
  @Column('text', { array: true }) workdays: string[];
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
