import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { PASSWORD_MAX, PASSWORD_MIN } from '../directory/directory.dto';
import { UserDto } from '../directory/directory.views';

export class ChangePasswordDto {
  @ApiProperty({ maxLength: PASSWORD_MAX, format: 'password' }) @IsString() @MaxLength(PASSWORD_MAX) currentPassword: string;
  @ApiProperty({
    minLength: PASSWORD_MIN,
    maxLength: PASSWORD_MAX,
    format: 'password',
    description: 'must differ from the current one',
  })
  @IsString()
  @MinLength(PASSWORD_MIN)
  @MaxLength(PASSWORD_MAX)
  newPassword: string;
}

/** The answer of POST /auth/login and POST /auth/password. */
export class LoginResponseDto {
  @ApiProperty({ description: 'JWT; send as `Authorization: Bearer <it>`' }) accessToken: string;
  @ApiProperty({ enum: ['Bearer'] }) tokenType: 'Bearer';
  @ApiProperty({ description: 'seconds until the token expires', example: 3600 }) expiresIn: number;
  @ApiProperty({ type: UserDto }) user: UserDto;
}
